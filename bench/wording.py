"""Precision and recall of the wording checks on the labelled evaluation set, per language.

Run: .venv/bin/python bench/wording.py
The development sets (bench/data/wording_<lang>.jsonl) were written alongside the
rules; the held-out set (wording_holdout.jsonl) was written after them, and its
first measurement is kept in bench/data/holdout_first_run.txt.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from surveys.wording.evaluate import load, score

DATA = Path(__file__).parent / "data"
LANGS = ("en", "fa", "ar", "ru")
TARGET_RECALL, TARGET_FALSE_FLAGS = 0.85, 0.10


def main() -> int:
    dev = [item for lang in LANGS for item in load(DATA / f"wording_{lang}.jsonl", lang)]
    holdout = load(DATA / "wording_holdout.jsonl")
    ok = True
    for title, items in (("development set", dev), ("held-out set", holdout), ("all items", dev + holdout)):
        start = time.perf_counter()
        scores = score(items)
        elapsed = time.perf_counter() - start
        print(f"\n{title}: {len(items)} items, {1000 * elapsed / len(items):.2f} ms per item")
        for s in scores.values():
            meets = s.recall >= TARGET_RECALL and s.false_flag_rate <= TARGET_FALSE_FLAGS
            print(f"  {s.summary()}  {'meets target' if meets else 'BELOW TARGET'}")
            if title == "all items":
                ok &= meets
    first = (DATA / "holdout_first_run.txt").read_text("utf-8").splitlines()
    misses = [line for line in first if line.startswith("MISS")]
    print(
        f"\nheld-out set on its first run, before the rules saw it: "
        f"{len(first) - len(misses)}/{len(first)} items exactly right"
    )
    for line in misses:
        print(f"  {line}")
    print(
        f"\ntargets: recall >= {TARGET_RECALL}, false-flag rate on neutral items <= {TARGET_FALSE_FLAGS}, "
        f"in every language: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
