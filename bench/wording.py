"""Precision, recall and false flags of the wording checks, per language, on three kinds of labelled set.

Run: .venv/bin/python bench/wording.py [--record-first-run]

(a) development: bench/data/wording_<lang>.jsonl and wording_2026_dev.jsonl, written
    alongside the rules and tuned on;
(b) earlier held-out, since tuned on: wording_holdout.jsonl. Its first measurement,
    before the rules saw it, is kept in bench/data/holdout_first_run.txt;
(c) new held-out: wording_2026_holdout.jsonl, never used for tuning. Only this script
    reads it. With --record-first-run its first result is written, once, to
    bench/data/holdout_2026_first_run.txt and never overwritten.

The exit status is 1 when the development targets are not met on (a) or (b). The new
held-out set is reported honestly and does not change the exit status.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from surveys.wording.evaluate import first_run, load, meets, score, side_by_side

DATA = Path(__file__).parent / "data"
LANGS = ("en", "fa", "ar", "ru")
TARGET_RECALL, TARGET_FALSE_FLAGS = 0.85, 0.10
NEW_HOLDOUT = "wording_2026_holdout.jsonl"
FIRST_RUN = "holdout_first_run.txt"
NEW_FIRST_RUN = "holdout_2026_first_run.txt"


def main(argv: list[str] | None = None, data: Path = DATA) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--record-first-run",
        action="store_true",
        help=f"write the new held-out result to {NEW_FIRST_RUN}, unless it is already there",
    )
    args = parser.parse_args(argv)

    dev = [item for lang in LANGS for item in load(data / f"wording_{lang}.jsonl", lang)]
    dev += load(data / "wording_2026_dev.jsonl")
    sets = [
        ("development sets (tuned on)", dev),
        ("earlier held-out, since tuned on", load(data / "wording_holdout.jsonl")),
        ("new held-out 2026, never used for tuning", load(data / NEW_HOLDOUT)),
    ]
    columns = []
    for title, items in sets:
        start = time.perf_counter()
        scores = score(items)
        ms = 1000 * (time.perf_counter() - start) / max(len(items), 1)
        columns.append((f"{title}: {len(items)} items, {ms:.2f} ms per item", scores))
    print()
    print("\n".join(side_by_side(columns, LANGS)))

    print()
    dev_ok = True
    for (title, _), (_, scores) in zip(sets, columns, strict=True):
        below = [
            lang
            for lang in LANGS
            if lang in scores and not meets(scores[lang], TARGET_RECALL, TARGET_FALSE_FLAGS)
        ]
        enforced = title != sets[-1][0]
        if enforced:
            dev_ok &= not below
        verdict = f"below target in {', '.join(below)}" if below else "meets target in every language"
        print(f"{title}: {verdict}{'' if enforced else ' (reported only)'}")

    _first_run_report(data / FIRST_RUN, "earlier held-out set on its first run, before the rules saw it")
    new_record = data / NEW_FIRST_RUN
    if args.record_first_run:
        if new_record.exists():
            print(f"\n{NEW_FIRST_RUN} already exists; the first result is kept as it was.")
        else:
            new_record.write_text("\n".join(first_run(sets[-1][1])) + "\n", "utf-8")
            print(f"\nrecorded the new held-out set's first run in {NEW_FIRST_RUN}")
    _first_run_report(new_record, "new held-out set on its first run")

    print(
        f"\ntargets: recall >= {TARGET_RECALL}, false-flag rate on neutral items <= {TARGET_FALSE_FLAGS}, "
        f"in every language, on the sets tuned on: {'met' if dev_ok else 'NOT met'}"
    )
    return 0 if dev_ok else 1


def _first_run_report(path: Path, title: str) -> None:
    if not path.exists():
        return
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    misses = [line for line in lines if line.startswith("MISS")]
    print(f"\n{title}: {len(lines) - len(misses)}/{len(lines)} items exactly right")
    for line in misses:
        print(f"  {line}")


if __name__ == "__main__":
    sys.exit(main())
