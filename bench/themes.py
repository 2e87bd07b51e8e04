"""Precision, recall and no-theme false tags of the theme tagger, per language and per theme.

Run: .venv/bin/python bench/themes.py [--record-first-run]

Two labelled halves, written before any rule existed:
(a) development: analysis/themes/seed/*.jsonl, tuned on, and the seed set the model learns from
    (the product trains on it too, with staff corrections);
(b) held-out: bench/data/themes_holdout.jsonl, never used for tuning. Only this script reads it.
    With --record-first-run its per-item result is written, once, to
    bench/data/themes_holdout_first_run.txt and never overwritten.

Each half is scored with the rules alone and with the rules plus the model trained on (a).
The targets, judged on (b): precision >= 0.85 and recall >= 0.75 in every language, and comments
with no theme tagged at most 10% of the time. Throughput is timed over 100,000 comments (the
development comments repeated). The exit status is 0 whatever the held-out result: it reports.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.themes import tag, train
from analysis.themes.evaluate import Evaluation, Item, Score, item_line, load, meets, score

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parent.parent / "analysis" / "themes" / "seed"
HOLDOUT, FIRST_RUN = "themes_holdout.jsonl", "themes_holdout_first_run.txt"
LANGS = ("en", "fa", "ar", "ru")
TARGET_PRECISION, TARGET_RECALL, TARGET_FALSE_TAGS = 0.85, 0.75, 0.10
THROUGHPUT_COMMENTS = 100_000
WIDTH = 24


def main(argv: list[str] | None = None, data: Path = DATA, seed: Path = SEED) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--record-first-run",
        action="store_true",
        help=f"write the held-out per-item result to {FIRST_RUN}, unless it is already there",
    )
    args = parser.parse_args(argv)

    dev = [item for path in sorted(seed.glob("*.jsonl")) for item in load(path)]
    holdout = load(data / HOLDOUT)
    start = time.perf_counter()
    model = train(dev)
    print(
        f"model trained on the development half: {len(dev)} comments in {time.perf_counter() - start:.1f} s"
    )
    print(model.summary())

    def rules(item: Item):
        return tag(item.text, item.lang)

    def combined(item: Item):
        return tag(item.text, item.lang, model=model)

    columns = [
        ("(a) dev, rules", score(dev, rules)),
        ("(a) dev, rules+model", score(dev, combined)),
        ("(b) held-out, rules", score(holdout, rules)),
        ("(b) held-out, rules+model", score(holdout, combined)),
    ]
    print(f"\n(a) development half: {len(dev)} comments (tuned on; the model learnt from it)")
    print(f"(b) held-out half: {len(holdout)} comments (never tuned on)")
    print("each cell: precision / recall / no-theme comments tagged (rate)\n")
    print("per language")
    print(_header(columns))
    for lang in LANGS:
        print(_row(lang, [e.languages.get(lang) for _, e in columns], rate=True))
    print(_row("all", [e.overall for _, e in columns], rate=True))

    print("\nper theme, all languages (precision / recall)")
    print(_header(columns))
    codes = sorted({code for _, e in columns for (_, code) in e.themes}, key=_theme_order)
    for code in codes:
        print(_row(code, [e.theme_total(code) for _, e in columns]))

    print("\nper theme and language (precision / recall)")
    print(_header(columns))
    for lang in LANGS:
        for code in codes:
            cells = [e.themes.get((lang, code)) for _, e in columns]
            if any(cells):
                print(_row(f"{lang} {code}", cells))

    print(
        "\npolarity agreement on the themes both found: "
        + ", ".join(f"{title} {e.overall.polarity_accuracy:.3f}" for title, e in columns)
    )

    print(
        "\ntargets on the held-out half: precision >= 0.85 and recall >= 0.75 in every language, "
        "no-theme tagged <= 10%"
    )
    for title, e in columns[2:]:
        print(f"  {title}: {_verdict(e)}")

    print()
    comments = [dev[i % len(dev)] for i in range(THROUGHPUT_COMMENTS)]
    for title, tagger in (("rules", rules), ("rules+model", combined)):
        start = time.perf_counter()
        for item in comments:
            tagger(item)
        seconds = time.perf_counter() - start
        print(
            f"throughput, {title}: {THROUGHPUT_COMMENTS / seconds:,.0f} comments/s "
            f"({THROUGHPUT_COMMENTS:,} comments in {seconds:.1f} s, one thread)"
        )

    record = data / FIRST_RUN
    if args.record_first_run:
        if record.exists():
            print(f"\n{FIRST_RUN} already exists; the first result is kept as it was.")
        else:
            lines = [
                item_line(item, found, with_model)
                for item, found, with_model in zip(
                    holdout, columns[2][1].predictions, columns[3][1].predictions, strict=True
                )
            ]
            header = (
                "# first held-out run: mark (rules alone), lang, expected, rules, rules+model, text; "
                "code:c|p|n is complaint|praise|neutral"
            )
            record.write_text(header + "\n" + "\n".join(lines) + "\n", "utf-8")
            print(f"\nrecorded the held-out half's first run in {FIRST_RUN}")
    if record.exists():
        lines = [line for line in record.read_text("utf-8").splitlines() if line and not line.startswith("#")]
        misses = sum(line.startswith("MISS") for line in lines)
        print(
            f"held-out first run on record: {len(lines) - misses}/{len(lines)} comments exactly right (rules)"
        )
    return 0


def _theme_order(code: str) -> tuple[int, str]:
    from analysis.themes import THEMES

    return (THEMES.index(code) if code in THEMES else len(THEMES), code)


def _header(columns: list[tuple[str, Evaluation]]) -> str:
    return f"{'':<22}" + " | ".join(title.ljust(WIDTH) for title, _ in columns)


def _row(label: str, cells: list[Score | None], rate: bool = False) -> str:
    return f"{label:<22}" + " | ".join(_cell(s, rate).ljust(WIDTH) for s in cells)


def _cell(s: Score | None, rate: bool) -> str:
    if s is None:
        return "-"
    text = f"{s.precision:.3f} / {s.recall:.3f}"
    if rate:
        text += f" / {s.falsely_tagged}/{s.untagged_items} ({s.false_tag_rate:.2f})"
    return text


def _verdict(e: Evaluation) -> str:
    below = [
        lang
        for lang in LANGS
        if lang in e.languages
        and not meets(e.languages[lang], TARGET_PRECISION, TARGET_RECALL, TARGET_FALSE_TAGS)
    ]
    if not below:
        return "targets met in every language"
    details = ", ".join(
        f"{lang} (precision {e.languages[lang].precision:.3f}, recall {e.languages[lang].recall:.3f}, "
        f"no-theme {e.languages[lang].false_tag_rate:.2f})"
        for lang in below
    )
    return f"targets NOT met in {details}"


if __name__ == "__main__":
    sys.exit(main())
