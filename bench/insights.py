"""Voice of the customer at scale: retag, a group's dashboard, the response export and the
tagging cost of a submit, each beside a baseline measured in the same run.

One SQLite database (in a temporary directory, removed at the end unless --keep;
--database-url for another) holds a transactional NPS survey (score, then an open reason)
with N complete responses (default 1,000,000) over 50 stores and the last 12 months, one
sent invitation each (with its link digest, as every sent invitation has) plus half as many
unanswered; C of them (default 100,000) carry a reason, written from the demo company's
phrases (feedback/services/demo/phrases.py: about 700 in English, Persian, Arabic and
Russian, chosen by the score's band) and stored as untagged comments. Rows are loaded with
SQLAlchemy Core executemany, a transaction per batch, through the real schema and triggers,
then ANALYZEd. Absolute times are noise on a shared machine; the ratios to the baselines
are what to read. The 700 phrases repeat, so the tagger's caches are warmer than real,
more varied comments would leave them.

1. retag: ``collect.retag`` with ``training.current_tagger()``, what ``feedback themes
   retag`` runs, over all C comments, in comments/s; baseline: the same rows (id, text,
   language) read with a bare SELECT. Target: at least 2,000 comments/s.
2. dashboard: GET /staff/groups/quality?survey=<id> signed in as an analyst, against GET
   /api/v1/surveys/<id>/results?by=tier with an API key (the same ``results.build`` call the
   dashboard makes, by tier as it shows it), alternating, best of --repeat each.
   Target: the page at most 2x the results JSON.
3. export: ``export.response_rows`` through ``sheets.csv_chunks`` into /dev/null, in rows/s,
   with the process's resident memory sampled at 10%, 50% and 100% of the rows (100k, 500k
   and 1M by default); baseline: a bare SELECT of the same response rows and both answers
   (no themes) written with the csv module. Targets: at least 50,000 rows/s, and memory
   flat (at most 20 MB more resident at the last sample than at the first).
4. tagging on submit: the per-comment work of the tagger (language, ``Tagger.tags``, search
   folding, as ``collect`` does it) on the 700 phrases, against a full in-process submit
   (POST /s/<token> through Flask's test client, a fresh link each, with a phrase as the
   reason), alternating in rounds; the submit path is also checked to call no tagger at all.
   Target: tagging adds at most 10% to a submit. Shown is what it adds (nothing, as the
   worker tags comments later), and what it would add inline: the per-comment work as a
   share of a submit, for the tagger in use (the rules and the seed set's model, as the product
   starts before any staff correction) and for rules plus the model retrained after the first
   correction.

Run: nice -n 10 .venv/bin/python bench/insights.py [--responses 1000000] [--comments 100000]
     [--repeat 3] [--submits 400] [--database-url URL] [--keep]
(A quick run: --responses 50000 --comments 5000.)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from support.voice import (
    FLAT_MB,
    PASSWORD,
    TARGET_DASHBOARD,
    TARGET_EXPORT,
    TARGET_RETAG,
    TARGET_TAGGING,
    Progress,
    build,
    make_app,
    measure_export,
)
from support.voice_tagging import measure_tagging

# ------------------------------------------------------------------------------- 1. retag


def bare_comment_read(app) -> tuple[float, int]:
    """SELECT id, text, language FROM comment, every row fetched: the least a retag reads."""
    from feedback.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        begin = time.perf_counter()
        rows = 0
        result = conn.execution_options(stream_results=True).execute(
            text("SELECT id, text, language FROM comment ORDER BY id")
        )
        for _ in result:
            rows += 1
        return time.perf_counter() - begin, rows


def measure_retag(app, c: int) -> dict:
    from feedback.extensions import db
    from feedback.services.insights import collect, training

    base = [bare_comment_read(app)]
    with app.app_context():
        begin = time.perf_counter()
        tagger = training.current_tagger()
        made_tagger = time.perf_counter() - begin
        begin = time.perf_counter()
        collected = collect.collect(tagger=tagger)  # the command collects new answers first
        collecting = time.perf_counter() - begin
        total, _ = collect.counts()
        progress = Progress("retag", total)
        begin = time.perf_counter()
        done = collect.retag(tagger=tagger, progress=progress)
        retagging = time.perf_counter() - begin
        _, untagged = collect.counts()
        themes = db.session.execute(text("SELECT count(*) FROM comment_theme")).scalar()
        db.session.remove()
    base.append(bare_comment_read(app))
    bare, rows = min(base)
    with app.app_context():  # the tagger alone on the same texts: what the database adds
        sample = db.session.execute(
            text("SELECT text, language FROM comment ORDER BY id LIMIT :k"), {"k": min(c, 10_000)}
        ).all()
        db.session.remove()
    begin = time.perf_counter()
    for words, language in sample:
        tagger.tags(words, language)
    alone = len(sample) / (time.perf_counter() - begin)
    assert done == total == rows == c, (done, total, rows, c)
    assert collected == 0, collected
    rate, bare_rate = done / retagging, rows / bare
    print(
        f"retag      {done:,} comments in {retagging:.1f} s: {rate:,.0f} comments/s; bare SELECT "
        f"{bare_rate:,.0f} rows/s; the tagger alone (caches warm, no database) {alone:,.0f} comments/s over "
        f"{len(sample):,}; {untagged:,} with no theme, {themes:,} theme rows; "
        f"the command's tagger took {made_tagger:.2f} s and its collect of new answers "
        f"(none) {collecting:.2f} s",
        flush=True,
    )
    return {"rate": rate, "bare": bare_rate}


# --------------------------------------------------------------------------- 2. dashboard


def staff_client(app):
    """A test client signed in through the login form as an analyst (view_reports), and an
    API key's Authorization header."""
    from feedback.services import accounts

    with app.app_context():
        accounts.create_user("analyst@example.com", "analyst", PASSWORD)
        _, key = accounts.create_api_key("bench")
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    signed = client.post(
        "/staff/login", data={"email": "analyst@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert signed.status_code == 302, signed.status_code
    return client, {"Authorization": f"Bearer {key}"}


def measure_dashboard(app, survey_id: int, repeat: int) -> dict:
    from feedback.extensions import db
    from feedback.services.design import catalog
    from feedback.services.reports import results

    client, auth = staff_client(app)
    api = app.test_client()
    page_url = f"/staff/groups/quality?survey={survey_id}"
    json_url = f"/api/v1/surveys/{survey_id}/results?by=tier"

    def timed(call) -> tuple[float, object]:
        begin = time.perf_counter()
        out = call()
        return time.perf_counter() - begin, out

    def get_page():
        r = client.get(page_url)
        assert r.status_code == 200, r.status_code
        return len(r.data)

    def get_json():
        r = api.get(json_url, headers=auth)
        assert r.status_code == 200, r.status_code
        return r.get_json()["metrics"]["nps"]["n"]

    def build_only():
        with app.app_context():
            data = results.build(catalog.get_survey(survey_id), by="tier")
            db.session.remove()
            return data["metrics"]["nps"]["n"]

    get_page(), get_json()  # warm: templates, plotly, the default groups made once
    pages, jsons, builds = [], [], []
    size = n = 0
    for _ in range(repeat):  # interleaved, so a busy moment falls on both
        t, size = timed(get_page)
        pages.append(t)
        t, n = timed(get_json)
        jsons.append(t)
        t, _ = timed(build_only)
        builds.append(t)
    page, json_, built = min(pages), min(jsons), min(builds)
    print(
        f"dashboard  page {page:.2f} s ({size:,} bytes), results JSON {json_:.2f} s "
        f"(results.build alone {built:.2f} s) over {n:,} scores: ratio {page / json_:.2f}x "
        f"(runs: page {', '.join(f'{x:.2f}' for x in pages)}; JSON {', '.join(f'{x:.2f}' for x in jsons)})",
        flush=True,
    )
    return {"page": page, "json": json_, "build": built}


# -------------------------------------------------------------------------------- main


def table(rows: list[tuple]) -> str:
    head = ("measure", "value", "baseline", "ratio", "target", "result")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="dashboard and JSON runs each (best kept)")
    parser.add_argument("--submits", type=int, default=400, help="timed POSTs, over 4 rounds")
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file (about 1 GB)")
    args = parser.parse_args()
    if not 0 < args.comments <= args.responses:
        parser.error("--comments must be between 1 and --responses")
    tmp = None if args.database_url else Path(tempfile.mkdtemp(prefix="candor-bench-"))
    url = args.database_url or f"sqlite:///{tmp}/insights.db"
    try:
        return run(args, url)
    finally:
        if tmp is not None and args.keep:
            print(f"database kept: {tmp}/insights.db")
        elif tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, url: str) -> int:
    import flask_migrate

    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade()
    print(
        f"{args.responses:,} responses, {args.comments:,} comments, on {url.split(':')[0]}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    begin = time.perf_counter()
    survey_id = build(app, args.responses, args.comments)
    print(f"data built in {time.perf_counter() - begin:.0f} s", flush=True)

    retag = measure_retag(app, args.comments)
    dash = measure_dashboard(app, survey_id, args.repeat)
    exp = measure_export(app, survey_id, args.responses)
    tag = measure_tagging(app, args.submits)

    n = args.responses
    first, last = exp["samples"][0][0], exp["samples"][-1][0]
    rows = [
        (
            f"1. retag {args.comments:,} comments",
            f"{retag['rate']:,.0f} comments/s",
            f"bare SELECT {retag['bare']:,.0f} rows/s",
            f"{retag['rate'] / retag['bare']:.4f}",
            f">= {TARGET_RETAG:,} comments/s",
            verdict(retag["rate"] >= TARGET_RETAG),
        ),
        (
            f"2. group dashboard, {n:,} responses",
            f"page {dash['page']:.2f} s",
            f"results JSON {dash['json']:.2f} s",
            f"{dash['page'] / dash['json']:.2f}x",
            f"<= {TARGET_DASHBOARD:.0f}x JSON",
            verdict(dash["page"] <= TARGET_DASHBOARD * dash["json"]),
        ),
        (
            f"3. CSV export, {n:,} responses",
            f"{exp['rate']:,.0f} rows/s",
            f"bare SELECT + csv {exp['bare']:,.0f} rows/s",
            f"{exp['rate'] / exp['bare']:.2f}",
            f">= {TARGET_EXPORT:,} rows/s",
            verdict(exp["rate"] >= TARGET_EXPORT),
        ),
        (
            f"3. export memory, {first:,} -> {last:,} rows",
            f"{exp['growth']:+.1f} MB resident",
            f"bare {exp['bare_growth']:+.1f} MB",
            "",
            f"flat (<= {FLAT_MB:.0f} MB growth)",
            verdict(exp["growth"] <= FLAT_MB),
        ),
        (
            "4. tagger time added to a submit",
            f"0 calls, 0% of {tag['submits']} submits",
            f"submit {tag['submit_ms']:.2f} ms",
            "0",
            f"<= {TARGET_TAGGING:.0f}%",
            verdict(True),
        ),
        (
            "4. same, were tagging inline (rules)",
            f"{tag['rules_pct']:.1f}% ({tag['rules_ms']:.3f} ms)",
            f"submit {tag['submit_ms']:.2f} ms",
            f"{tag['rules_pct'] / 100:.3f}",
            f"<= {TARGET_TAGGING:.0f}%",
            verdict(tag["rules_pct"] <= TARGET_TAGGING) + " (if inline)",
        ),
        (
            "4. same, were tagging inline (rules + model)",
            f"{tag['model_pct']:.1f}% ({tag['model_ms']:.3f} ms)",
            f"submit {tag['submit_ms']:.2f} ms",
            f"{tag['model_pct'] / 100:.3f}",
            f"<= {TARGET_TAGGING:.0f}%",
            verdict(tag["model_pct"] <= TARGET_TAGGING) + " (if inline)",
        ),
    ]
    print(f"\nload average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print(table(rows))
    print(
        "\n(4: the submit path calls no tagger, counted by wrapping Tagger.tags and analysis.themes.tag; "
        "comments are tagged later by the worker's collect. The 'inline' rows are that per-comment "
        "tagging work as a share of a submit: what tagging would add if it were moved into the submit.)"
    )
    with app.app_context():
        from feedback.extensions import db

        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
