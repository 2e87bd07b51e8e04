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


def first_run_line(item: Item, found: set[str] | frozenset[str]) -> str:
    """One line of a first-run record: "ok  " or "MISS", language, expected codes, found codes, text."""
    mark = "ok  " if set(found) == set(item.codes) else "MISS"
    return f"{mark} {item.lang} {sorted(item.codes)} {sorted(found)} {item.text}"


def first_run(items: Iterable[Item]) -> list[str]:
    from surveys.wording import check

    return [first_run_line(item, {f.code for f in check(item.text, item.lang)}) for item in items]


def meets(s: Score, recall: float, false_flags: float) -> bool:
    return s.recall >= recall and s.false_flag_rate <= false_flags


def cell(s: Score | None) -> str:
    if s is None:
        return "no items"
    flags = f"{s.false_flags}/{s.neutral} ({s.false_flag_rate:.2f})"
    return f"{s.items:4d}  {s.precision:.3f}  {s.recall:.3f}  {flags}"


def side_by_side(columns: list[tuple[str, dict[str, Score]]], langs: Iterable[str]) -> list[str]:
    """One row per language and one block per labelled set: items, precision, recall, false flags."""
    width = 34
    rows = [f"  ({chr(97 + i)}) {title}" for i, (title, _) in enumerate(columns)]
    rows.append("")
    rows.append("lang  " + " | ".join(f"({chr(97 + i)})".ljust(width) for i in range(len(columns))))
    rows.append("      " + " | ".join("items  prec   recall false flags".ljust(width) for _ in columns))
    for lang in langs:
        rows.append(f"{lang:<6}" + " | ".join(cell(scores.get(lang)).ljust(width) for _, scores in columns))
    return rows
