"""Scoring the tagger on a labelled set: precision and recall per language and per theme, and
how often a comment with no theme gets tagged anyway.

A labelled set is JSON lines of ``{"lang", "text", "themes": [{"code", "polarity"}], "score"}``.
Precision and recall count (comment, theme) pairs, micro-averaged; polarity is judged on the
pairs both sides found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis.themes.result import ThemeTag


@dataclass(frozen=True)
class Item:
    lang: str
    text: str
    themes: Mapping[str, str]  # code -> polarity
    score: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", MappingProxyType(dict(self.themes)))

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.themes)


@dataclass(frozen=True)
class Score:
    """Counts for one language, or one theme within one language."""

    items: int = 0
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    untagged_items: int = 0  # items labelled with no theme
    falsely_tagged: int = 0  # of those, items that got a tag
    polarity_agree: int = 0  # true positives whose polarity matched

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0

    @property
    def false_tag_rate(self) -> float:
        return self.falsely_tagged / self.untagged_items if self.untagged_items else 0.0

    @property
    def polarity_accuracy(self) -> float:
        return self.polarity_agree / self.true_pos if self.true_pos else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "false_tag_rate": round(self.false_tag_rate, 4),
            "polarity_accuracy": round(self.polarity_accuracy, 4),
            "true_pos": self.true_pos,
            "false_pos": self.false_pos,
            "false_neg": self.false_neg,
            "untagged_items": self.untagged_items,
            "falsely_tagged": self.falsely_tagged,
        }

    def summary(self) -> str:
        return (
            f"items {self.items:4d}  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"no-theme tagged {self.falsely_tagged}/{self.untagged_items} ({self.false_tag_rate:.3f})  "
            f"polarity {self.polarity_accuracy:.3f}"
        )

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(_counts(self), _counts(other), strict=True)))


def _counts(s: Score) -> tuple[int, ...]:
    return (
        s.items,
        s.true_pos,
        s.false_pos,
        s.false_neg,
        s.untagged_items,
        s.falsely_tagged,
        s.polarity_agree,
    )


@dataclass(frozen=True)
class Evaluation:
    """Scores of one tagger on one labelled set: per language, and per (language, theme)."""

    languages: Mapping[str, Score]
    themes: Mapping[tuple[str, str], Score]
    predictions: tuple[Mapping[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", MappingProxyType(dict(self.languages)))
        object.__setattr__(self, "themes", MappingProxyType(dict(self.themes)))

    @property
    def overall(self) -> Score:
        return sum(self.languages.values(), Score())

    def theme_total(self, code: str) -> Score:
        return sum((s for (_, c), s in self.themes.items() if c == code), Score())

    def to_dict(self) -> dict[str, Any]:
        return {
            "languages": {lang: s.to_dict() for lang, s in self.languages.items()},
            "themes": {f"{lang}/{code}": s.to_dict() for (lang, code), s in self.themes.items()},
            "overall": self.overall.to_dict(),
        }

    def summary(self) -> str:
        lines = ["Theme tagging evaluation", "=" * 44]
        lines += [f"{lang:<4} {s.summary()}" for lang, s in self.languages.items()]
        lines += [f"all  {self.overall.summary()}", "=" * 44]
        return "\n".join(lines)


def load(path: Path | str) -> list[Item]:
    """The items of a JSON-lines labelled set."""
    items = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not row.get("lang") or not isinstance(row.get("text"), str):
            raise ValueError(f"{path}:{number}: each line needs a lang and a text")
        themes = {t["code"]: t.get("polarity", "neutral") for t in row.get("themes", [])}
        items.append(Item(row["lang"], row["text"], themes, row.get("score")))
    return items


def score(items: Sequence[Item], tagger: Callable[[Item], Iterable[ThemeTag]] | None = None) -> Evaluation:
    """Score ``tagger`` (by default the rules alone) on ``items``.

    Examples
    --------
    >>> items = [Item("en", "fast delivery, thanks", {"delivery": "praise"}), Item("en", "all fine", {})]
    >>> e = score(items)
    >>> e.languages["en"].precision, e.languages["en"].recall, e.languages["en"].false_tag_rate
    (1.0, 1.0, 0.0)
    """
    if tagger is None:
        from analysis.themes.tagger import tag

        def tagger(item: Item) -> list[ThemeTag]:
            return tag(item.text, item.lang)

    predictions = tuple(_polarities(tagger(item)) for item in items)
    return score_predictions(items, predictions)


def score_predictions(items: Sequence[Item], predictions: Sequence[Mapping[str, str]]) -> Evaluation:
    """Score given predictions (code -> polarity, one mapping per item) against ``items``."""
    langs: dict[str, list[int]] = {}
    themes: dict[tuple[str, str], list[int]] = {}
    for item, got in zip(items, predictions, strict=True):
        t = langs.setdefault(item.lang, [0] * 7)
        t[0] += 1
        if not item.themes:
            t[4] += 1
            t[5] += bool(got)
        for code in set(item.themes) | set(got):
            u = themes.setdefault((item.lang, code), [0] * 7)
            u[0] += 1
            hit = code in item.themes and code in got
            kind = 1 if hit else (2 if code in got else 3)
            agree = hit and got[code] == item.themes[code]
            for counts in (t, u):
                counts[kind] += 1
                counts[6] += agree
    return Evaluation(
        {lang: Score(*v) for lang, v in sorted(langs.items())},
        {key: Score(*v) for key, v in sorted(themes.items())},
        tuple(MappingProxyType(dict(p)) for p in predictions),
    )


def _polarities(tags: Iterable[ThemeTag]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in tags:
        out.setdefault(t.code, t.polarity)
    return out


def meets(s: Score, precision: float, recall: float, false_tag_rate: float) -> bool:
    return s.precision >= precision and s.recall >= recall and s.false_tag_rate <= false_tag_rate


def item_line(item: Item, found: Mapping[str, str], *more: Mapping[str, str]) -> str:
    """One line of a per-item record: "ok  " or "MISS", language, expected, found (per tagger), text."""
    mark = "ok  " if set(found) == set(item.codes) else "MISS"
    shown = " ".join(_codes(f) for f in (found, *more))
    return f"{mark} {item.lang} {_codes(item.themes)} {shown} {item.text}"


def _codes(themes: Mapping[str, str]) -> str:
    return "[" + ",".join(f"{code}:{pol[0]}" for code, pol in sorted(themes.items())) + "]"
