"""The rule engine: per-language rules come from data files in rules/, the logic is shared.

Text is normalised (case, letter variants, diacritics) before matching, and every
match is mapped back to a span in the original text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from surveys.wording.findings import DEFAULT_SEVERITY, Finding

WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    index: tuple[int, ...]  # position in ``text`` -> position in ``original``

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return (self.index[start] if start < len(self.index) else len(self.original),) * 2
        return self.index[start], self.index[end - 1] + 1


@dataclass(frozen=True)
class Rule:
    code: str
    regex: re.Pattern[str]
    message: str
    severity: str
    advice: str | None = None
    rewrite: tuple[re.Pattern[str], str] | None = None
    remove: bool = False


@dataclass(frozen=True)
class Conjunctions:
    words: tuple[str, ...]
    attached: re.Pattern[str] | None
    fixed: tuple[re.Pattern[str], ...]
    antonym_prefixes: tuple[str, ...]
    balanced_pairs: frozenset[frozenset[str]]
    negations: frozenset[str]
    range_words: frozenset[str]
    message: str


@dataclass(frozen=True)
class RuleSet:
    lang: str
    name: str
    max_words: int
    normalize: dict
    rules: tuple[Rule, ...]
    exempt: dict[str, re.Pattern[str]]
    conjunctions: Conjunctions
    scale: dict[str, tuple[str, ...]]
    balanced_example: str
    messages: dict[str, str] = field(default_factory=dict)


def available_languages() -> list[str]:
    folder = resources.files("surveys.wording") / "rules"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def ruleset(lang: str) -> RuleSet:
    """Load and compile the rules for ``lang`` ("fa", "fa-IR" and "FA" all mean Persian)."""
    base = (lang or "").split("-")[0].split("_")[0].lower()
    if base not in available_languages():
        raise ValueError(
            f"no wording rules for language {lang!r}; available: {', '.join(available_languages())}"
        )
    raw = tomllib.loads((resources.files("surveys.wording") / "rules" / f"{base}.toml").read_text("utf-8"))
    return _compile(base, raw)


def _compile(lang: str, raw: dict) -> RuleSet:
    prefix, suffix = raw.get("word_prefix", ""), raw.get("word_suffix", "")
    norm_cfg = raw.get("normalize", {})
    rules = []
    for item in raw.get("pattern", []):
        rules.append(_rule(item, item["regex"], norm_cfg))
    for item in raw.get("lexicon", []):
        words = "|".join(_norm_pattern(w, norm_cfg) for w in item["words"])
        pre = item.get("prefix", prefix)
        suf = item.get("suffix", suffix)
        rules.append(_rule(item, rf"(?<!\w){pre}(?:{words}){suf}(?!\w)", norm_cfg, raw_pattern=True))
    conj = raw["conjunctions"]
    conjunctions = Conjunctions(
        words=tuple(_normalize_plain(w, norm_cfg) for w in conj["words"]),
        attached=re.compile(_norm_pattern(conj["attached"], norm_cfg)) if conj.get("attached") else None,
        fixed=tuple(re.compile(_norm_pattern(f, norm_cfg)) for f in conj.get("fixed", [])),
        antonym_prefixes=tuple(_normalize_plain(p, norm_cfg) for p in conj.get("antonym_prefixes", [])),
        balanced_pairs=frozenset(
            frozenset(_normalize_plain(w, norm_cfg) for w in pair) for pair in conj.get("balanced_pairs", [])
        ),
        negations=frozenset(_normalize_plain(w, norm_cfg) for w in conj.get("negations", [])),
        range_words=frozenset(_normalize_plain(w, norm_cfg) for w in conj.get("range_words", [])),
        message=conj["message"],
    )
    scale = {
        k: tuple(_normalize_plain(w, norm_cfg) for w in raw["scale"].get(k, []))
        for k in ("positive", "negative", "neutral")
    }
    exempt = {
        code: re.compile("|".join(_norm_pattern(p, norm_cfg) for p in pats))
        for code, pats in raw.get("exempt", {}).items()
        if pats
    }
    return RuleSet(
        lang=lang,
        name=raw["language"],
        max_words=int(raw.get("max_words", 25)),
        normalize=norm_cfg,
        rules=tuple(rules),
        exempt=exempt,
        conjunctions=conjunctions,
        scale=scale,
        balanced_example=raw["scale"]["balanced_example"],
        messages=raw.get("messages", {}),
    )


def _rule(item: dict, pattern: str, norm_cfg: dict, raw_pattern: bool = False) -> Rule:
    code = item["code"]
    if code not in DEFAULT_SEVERITY:
        raise ValueError(f"unknown finding code {code!r} in wording rules")
    rewrite = None
    if "rewrite" in item:
        rewrite = (re.compile(item["rewrite"][0], re.IGNORECASE), item["rewrite"][1])
    return Rule(
        code=code,
        regex=re.compile(pattern if raw_pattern else _norm_pattern(pattern, norm_cfg)),
        message=item["message"],
        severity=item.get("severity", DEFAULT_SEVERITY[code]),
        advice=item.get("advice"),
        rewrite=rewrite,
        remove=item.get("fix") == "remove",
    )


def _normalize_plain(text: str, cfg: dict) -> str:
    return normalize(text, cfg).text


def _norm_pattern(pattern: str, cfg: dict) -> str:
    # Patterns are written in ordinary spelling; only letter variants are folded, so regex syntax survives.
    out = pattern
    for src, dst in cfg.get("replace", {}).items():
        out = out.replace(src, dst)
    strip = cfg.get("strip")
    if strip:
        out = re.sub(f"[{strip}]", "", out)
    return out  # rule files write patterns in lower case; lowering here would turn \S into \s


def normalize(text: str, cfg: dict) -> Normalized:
    """Fold case and letter variants and drop diacritics, remembering where each character came from."""
    text = unicodedata.normalize("NFC", text)
    strip = re.compile(f"[{cfg['strip']}]") if cfg.get("strip") else None
    replace = cfg.get("replace", {})
    lower = cfg.get("lowercase", False)
    chars, index = [], []
    for pos, ch in enumerate(text):
        if strip is not None and strip.match(ch):
            continue
        ch = replace.get(ch, ch)
        if lower:
            ch = ch.lower() if len(ch.lower()) == 1 else ch
        chars.append(ch)
        index.append(pos)
    return Normalized(text, "".join(chars), tuple(index))


def run_rules(rs: RuleSet, n: Normalized) -> list[Finding]:
    out = []
    for rule in rs.rules:
        exempt = rs.exempt.get(rule.code)
        if exempt is not None and exempt.search(n.text):
            continue
        for m in rule.regex.finditer(n.text):
            span = n.span(m.start(), m.end())
            matched = n.original[span[0] : span[1]].strip()
            message = rule.message.format(match=matched)
            if rule.advice:
                message = f"{message} {rule.advice}"
            out.append(Finding(rule.code, rule.severity, message, span, _suggest(rule, n.original, span)))
    return out


def _suggest(rule: Rule, original: str, span: tuple[int, int]) -> str | None:
    if rule.rewrite is not None:
        pattern, replacement = rule.rewrite
        if pattern.search(original):
            return tidy(pattern.sub(replacement, original, count=1))
    if rule.remove:
        return tidy(original[: span[0]] + original[span[1] :])
    return None


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([?.,!؟،:;])", r"\1", text)
    text = re.sub(r"([,،])\s*([?؟])", r"\2", text)
    return text[:1].upper() + text[1:] if text else text
