"""Scoring the checker against a labelled set: precision, recall and false flags per language."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Item:
    lang: str
    text: str
    codes: frozenset[str]


@dataclass(frozen=True)
class Score:
    lang: str
    items: int
    neutral: int
    true_pos: int
    false_pos: int
    false_neg: int
    false_flags: int  # neutral items with any finding

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0

    @property
    def false_flag_rate(self) -> float:
        return self.false_flags / self.neutral if self.neutral else 0.0

    def summary(self) -> str:
        return (
            f"{self.lang:<4} items {self.items:4d}  precision {self.precision:.3f}  recall "
            f"{self.recall:.3f}  false flags {self.false_flags}/{self.neutral} "
            f"({self.false_flag_rate:.3f})"
        )


def load(path: Path, lang: str | None = None) -> list[Item]:
    """JSON lines of {"text", "codes", "lang"?}; ``lang`` fills in a missing language."""
    items = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        item_lang = row.get("lang", lang)
        if not item_lang:
            raise ValueError(f"{path}:{number}: no language")
        items.append(Item(item_lang, row["text"], frozenset(row["codes"])))
    return items


def score(items: Iterable[Item]) -> dict[str, Score]:
    """Micro-averaged over (item, code) pairs, per language."""
    from surveys.wording import check

    tallies: dict[str, list[int]] = {}
    for item in items:
        got = {f.code for f in check(item.text, item.lang)}
        t = tallies.setdefault(item.lang, [0, 0, 0, 0, 0, 0])
        t[0] += 1
        t[2] += len(got & item.codes)
        t[3] += len(got - item.codes)
        t[4] += len(item.codes - got)
        if not item.codes:
            t[1] += 1
            t[5] += bool(got)
    return {lang: Score(lang, *t) for lang, t in sorted(tallies.items())}
