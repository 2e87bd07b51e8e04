"""Theme rules as plain data: one TOML file per language in ``rules/``, extendable with dicts.

A rule file (and every ``extra`` given to :func:`load_rules`) has this shape::

    version = 1
    language = "en"
    gap = 2        # a phrase's words may stand this many other words apart
    window = 3     # a negation reaches the first cue this many words away

    [negation]
    before = ["not", "never", "*n't"]   # negate the next cue in the same clause
    after = []                          # negate the cue just before (Persian "نبود")

    [clauses]
    split = ["but", "however"]          # a word that starts a new clause

    [numbers]
    words = ["two", "three"]            # what "#" matches besides digits

    [polarity]                          # words that judge whatever theme they stand beside
    complaint = ["terrible"]
    praise = ["great"]
    weak_praise = ["fine"]              # too faint to outweigh another theme's complaint

    [themes.delivery]
    topics = ["courier"]                # name the theme: tagged even without a judgement
    objects = ["arrive*"]               # tagged only when judged ("arrived late", "never arrived")
    complaint = ["never arrived"]       # tag the theme as a complaint on their own
    praise = ["next day"]
    neutral = []
    complaint_near = ["late"]           # judge a topic or object of this theme nearby
    praise_near = ["fast"]
    exclude = ["delivery fee"]          # the theme is not tagged from a clause holding one

Each entry is one word or a phrase of words; a word in an entry is matched by its stem
(``delivery`` also finds ``deliveries``), ``word*`` by its beginning, ``*word`` by its
ending, ``=word`` exactly, ``#`` by any number, and ``a|b`` by either alternative.
A theme may set ``polarity`` (every tag of it has that polarity), ``claims_clause``
(judgements in its clauses are requests, not about other themes), ``yields`` (its cues,
such as "doesn't work", judge the theme another word of the clause names when nothing of
its own is named there: "the discount code didn't work" is about the price) and, for a code that is
not a default theme, ``department`` and ``label``.

``extra`` is merged into the defaults: lists are extended, other values replaced, and a
``remove`` key of the same shape takes entries out. That is what a staff screen saves.
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from analysis.themes.catalogue import DEPARTMENT, POLARITIES
from analysis.themes.normalize import base_language

TOP_KEYS = {"version", "language", "gap", "window", "negation", "clauses", "numbers", "polarity", "themes"}
SECTIONS = {
    "negation": {"before", "after"},
    "clauses": {"split"},
    "numbers": {"words"},
    "polarity": {"complaint", "praise", "weak_praise"},
}
THEME_LISTS = {
    "topics",
    "objects",
    "complaint",
    "praise",
    "neutral",
    "complaint_near",
    "praise_near",
    "exclude",
}
THEME_VALUES = {"label", "department", "polarity", "claims_clause", "yields"}


@dataclass(frozen=True)
class Rules:
    """A validated rule set for one language, as plain data; compiled on first use.

    Examples
    --------
    >>> rules = load_rules("en", {"themes": {"delivery": {"complaint": ["parcel went missing"]}}})
    >>> rules.lang, "parcel went missing" in rules.to_dict()["themes"]["delivery"]["complaint"]
    ('en', True)
    """

    lang: str
    data: Mapping[str, Any] = field(repr=False)
    _compiled: list = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", _freeze(self.data))

    def __hash__(self) -> int:
        return hash((self.lang, json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)))

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(self.data.get("themes", {}))

    def to_dict(self) -> dict[str, Any]:
        """The rules as plain JSON-ready data; ``Rules.from_dict(r.to_dict()) == r``."""
        return _thaw(self.data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rules:
        data = _thaw(data)
        validate(data)
        return cls(base_language(data["language"]) or "", data)

    def summary(self) -> str:
        themes = self.data.get("themes", {})
        lines = [f"Theme rules for {self.lang} (version {self.data.get('version', 1)})", "=" * 44]
        for code, theme in themes.items():
            count = sum(len(theme.get(key, ())) for key in THEME_LISTS)
            lines.append(f"{code:<18} {count:5d} entries  -> {theme_department(code, theme)}")
        general = sum(len(v) for v in self.data.get("polarity", {}).values())
        lines += [f"{'polarity words':<18} {general:5d}", "=" * 44]
        return "\n".join(lines)

    def compiled(self):
        if not self._compiled:
            from analysis.themes.matcher import Matcher

            self._compiled.append(Matcher(self))
        return self._compiled[0]


@cache
def available_languages() -> tuple[str, ...]:
    folder = resources.files("analysis.themes") / "rules"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@cache
def default_rules(lang: str) -> Rules:
    """The rules that ship with the package for ``lang``, loaded once."""
    base = base_language(lang)
    if base not in available_languages():
        raise ValueError(
            f"no theme rules for language {lang!r}; available: {', '.join(available_languages())}"
        )
    text = (resources.files("analysis.themes") / "rules" / f"{base}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    validate(data)
    return Rules(base, data)


def load_rules(lang: str, extra: Mapping[str, Any] | None = None) -> Rules:
    """The default rules for ``lang``, with ``extra`` (same shape as a rule file) merged in.

    Examples
    --------
    >>> extra = {"themes": {"price": {"complaint": ["rip off"]}}}
    >>> extra["remove"] = {"polarity": {"praise": ["cool"]}}
    >>> rules = load_rules("en", extra)
    >>> "rip off" in rules.to_dict()["themes"]["price"]["complaint"]
    True
    """
    rules = default_rules(lang)
    if not extra:
        return rules
    data = merge(rules.to_dict(), extra)
    validate(data)
    return Rules(rules.lang, data)


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in: lists extended (no repeats), values replaced, ``remove`` applied."""
    out = copy.deepcopy(dict(base))
    extra = dict(extra)
    remove = extra.pop("remove", None)
    _merge_into(out, extra)
    if remove:
        _remove_from(out, remove)
    return out


def _merge_into(target: dict, extra: Mapping) -> None:
    for key, value in extra.items():
        if isinstance(value, Mapping):
            node = target.setdefault(key, {})
            if not isinstance(node, dict):
                raise ValueError(f"{key!r} is a value in the rules, not a section")
            _merge_into(node, value)
        elif isinstance(value, list | tuple):
            have = target.setdefault(key, [])
            if not isinstance(have, list):
                raise ValueError(f"{key!r} is a value in the rules, not a list")
            have.extend(v for v in value if v not in have)
        else:
            target[key] = value


def _remove_from(target: dict, remove: Mapping) -> None:
    for key, value in remove.items():
        if key not in target:
            continue
        if isinstance(value, Mapping) and isinstance(target[key], dict):
            _remove_from(target[key], value)
        elif isinstance(value, list | tuple) and isinstance(target[key], list):
            target[key] = [v for v in target[key] if v not in value]
        elif value is True:
            del target[key]


def validate(data: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming the first thing in ``data`` a rule file may not hold."""
    if not isinstance(data, Mapping):
        raise ValueError("rules must be a mapping")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ValueError(f"unknown rule keys: {', '.join(sorted(unknown))}")
    if not base_language(data.get("language")):
        raise ValueError("rules must name their language")
    for key in ("gap", "window"):
        if key in data and (not isinstance(data[key], int) or not 0 <= data[key] <= 10):
            raise ValueError(f"{key} must be a whole number from 0 to 10")
    for section, keys in SECTIONS.items():
        part = data.get(section, {})
        if not isinstance(part, Mapping) or set(part) - keys:
            raise ValueError(f"[{section}] may hold only {', '.join(sorted(keys))}")
        for key in part:
            _check_entries(f"{section}.{key}", part[key])
    themes = data.get("themes", {})
    if not isinstance(themes, Mapping):
        raise ValueError("[themes] must be a section")
    for code, theme in themes.items():
        _check_theme(code, theme)


def _check_theme(code: str, theme: Any) -> None:
    if not isinstance(code, str) or not code.isidentifier():
        raise ValueError(f"theme code {code!r} must be a simple identifier")
    if not isinstance(theme, Mapping):
        raise ValueError(f"themes.{code} must be a section")
    unknown = set(theme) - THEME_LISTS - THEME_VALUES
    if unknown:
        raise ValueError(f"themes.{code}: unknown keys {', '.join(sorted(unknown))}")
    for key in THEME_LISTS & set(theme):
        _check_entries(f"themes.{code}.{key}", theme[key])
    if theme.get("polarity", "neutral") not in POLARITIES:
        raise ValueError(f"themes.{code}.polarity must be one of {', '.join(POLARITIES)}")
    for flag in ("claims_clause", "yields"):
        if not isinstance(theme.get(flag, False), bool):
            raise ValueError(f"themes.{code}.{flag} must be true or false")
    if code not in DEPARTMENT and not isinstance(theme.get("department"), str):
        raise ValueError(f"themes.{code} is a new theme: give it a department")


def _check_entries(where: str, entries: Any) -> None:
    if not isinstance(entries, list | tuple):
        raise ValueError(f"{where} must be a list of words or phrases")
    for entry in entries:
        if not isinstance(entry, str) or not entry.strip() or len(entry) > 200:
            raise ValueError(f"{where}: {entry!r} is not a word or phrase")


def theme_department(code: str, theme: Mapping[str, Any] | None = None) -> str:
    if theme and isinstance(theme.get("department"), str):
        return theme["department"]
    return DEPARTMENT.get(code, "unassigned")


def _freeze(value: Any) -> Any:
    from types import MappingProxyType

    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_thaw(v) for v in value]
    return value
