"""Results at scale: the full results function against a bare GROUP BY over the same tables.

For 10^4, 10^5 and 10^6 responses spread over 50 stores and 12 months, on SQLite and
(when FEEDBACK_BENCH_PG or FEEDBACK_TEST_DATABASE_URL is set) PostgreSQL, it prints:
the baseline (SELECT store, score, count(*) ... GROUP BY store, score over answers
joined to responses), the results function (`results.build(by="store")`, which adds
the population, composition and period breakdowns), their ratio, and the peak Python
memory of the results call, which should stay flat as responses grow.

Invitations are loaded with COPY (PostgreSQL) or executemany (SQLite) through the real
schema, so the triggers that keep invitation_tally exact run during the load, as they
would have when the invitations were sent.

Run: .venv/bin/python bench/analysis.py [--sizes 10000,100000,1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback import create_app  # noqa: E402
from feedback.config import database_uri  # noqa: E402

STORES = [f"S{i:02d}" for i in range(50)]
TIERS, CHANNELS = ["top", "big", "medium", "small"], ["online", "store", "phone"]
REGIONS, CATEGORIES = (
    ["North", "South", "East", "West", "Central"],
    ["electronics", "home", "apparel", "grocery"],
)
MIX = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]
START = datetime(2025, 12, 1, tzinfo=UTC)
CHUNK = 50_000


def make_app(url: str):
    return create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": "bench" * 10,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        }
    )


def prepare(url: str):
    import flask_migrate

    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade()
    return app


def populate(app, n: int, seed: int = 1) -> int:
    """Survey, customers, invitations (2 per response), responses and NPS answers; returns the survey id."""
    from feedback.extensions import db
    from feedback.services.design import designing
    from surveys.templates import transactional_nps

    rng = random.Random(seed)
    with app.app_context():
        survey = designing.create_published(transactional_nps(("en",)))
        version = (
            survey.id
            and db.session.execute(
                text("SELECT id FROM survey_version WHERE survey_id = :s"), {"s": survey.id}
            ).scalar()
        )
        question = db.session.execute(
            text("SELECT id FROM question WHERE version_id = :v AND key = 'nps'"), {"v": version}
        ).scalar()
        engine = db.engine
        dialect = engine.dialect.name
        customers = 10_000
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            _load(
                cur,
                dialect,
                "customer",
                ["id", "external_id", "locale", "time_zone", "properties", "created_at", "updated_at"],
                ((i + 1, f"c{i}", "en", "UTC", "{}", START, START) for i in range(customers)),
            )

            def segments():
                return (
                    rng.choice(TIERS),
                    rng.choice(CHANNELS),
                    rng.choice(REGIONS),
                    rng.choice(CATEGORIES),
                    rng.choice(STORES),
                )

            def moment():
                return START + timedelta(seconds=rng.randrange(0, 360 * 86400))

            def with_period(at):
                return at, at.strftime("%Y-%m")

            seg_cols = ["tier", "sales_channel", "region", "category", "store", "sent_at", "period"]
            inv_rows = (
                (
                    i + 1,
                    survey.id,
                    version,
                    rng.randrange(1, customers + 1),
                    "email",
                    "en",
                    "responded" if i < n else "sent",
                    *segments(),
                    *with_period(moment()),
                    1,
                    START,
                )
                for i in range(2 * n)
            )
            _load(
                cur,
                dialect,
                "invitation",
                [
                    "id",
                    "survey_id",
                    "version_id",
                    "customer_id",
                    "channel",
                    "locale",
                    "status",
                    *seg_cols,
                    "attempts",
                    "created_at",
                ],
                inv_rows,
            )
            scores = rng.choices(range(11), weights=MIX, k=n)
            resp_rows = (
                (
                    i + 1,
                    survey.id,
                    version,
                    "invitation",
                    "en",
                    "complete",
                    1,
                    "{}",
                    False,
                    *segments(),
                    *with_period(moment()),
                    START,
                )
                for i in range(n)
            )
            _load(
                cur,
                dialect,
                "response",
                [
                    "id",
                    "survey_id",
                    "version_id",
                    "source",
                    "locale",
                    "status",
                    "page",
                    "segments",
                    "review_prompted",
                    "tier",
                    "sales_channel",
                    "region",
                    "category",
                    "store",
                    "submitted_at",
                    "period",
                    "started_at",
                ],
                resp_rows,
            )
            _load(
                cur,
                dialect,
                "answer",
                ["id", "response_id", "question_id", "number"],
                ((i + 1, i + 1, question, float(scores[i])) for i in range(n)),
            )
            raw.commit()
            if dialect == "postgresql":
                for table in ("customer", "invitation", "response", "answer"):
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                raw.commit()
                driver = raw.driver_connection
                driver.autocommit = True
                driver.execute("VACUUM ANALYZE")
                driver.autocommit = False
            else:
                cur.execute("ANALYZE")
                raw.commit()
        finally:
            raw.close()
        return survey.id


def _load(cur, dialect: str, table: str, columns: list[str], rows) -> None:
    if dialect == "postgresql":
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    batch = []
    for row in rows:
        batch.append(
            tuple(v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v for v in row)
        )
        if len(batch) >= CHUNK:
            cur.executemany(sql, batch)
            batch.clear()
    if batch:
        cur.executemany(sql, batch)


def baseline(app, survey_id: int) -> float:
    """SELECT store, score, count(*) over answers joined to responses: the least any report must do."""
    from feedback.extensions import db
    from feedback.models import Answer, Response
    from feedback.services.reports.aggregates import segment_expr

    with app.app_context():
        store = segment_expr("store")
        query = (
            select(store, Answer.number, func.count())
            .select_from(Answer)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.survey_id == survey_id)
            .group_by(store, Answer.number)
        )
        start = time.perf_counter()
        rows = db.session.execute(query).all()
        elapsed = time.perf_counter() - start
        assert len(rows) >= len(STORES)
        db.session.remove()
        return elapsed


def full_results(app, survey_id: int) -> tuple[float, int]:
    from feedback.extensions import db
    from feedback.services.design import catalog
    from feedback.services.reports import results

    with app.app_context():
        survey = catalog.get_survey(survey_id)
        start = time.perf_counter()
        data = results.build(survey, by="store")
        elapsed = time.perf_counter() - start
        assert len(data["segments"]) == len(STORES)
        db.session.remove()
        return elapsed, data["metrics"]["nps"]["n"]


def results_memory(app, survey_id: int) -> int:
    """Peak Python allocation during one results call (measured apart: tracing slows Python down)."""
    from feedback.extensions import db
    from feedback.services.design import catalog
    from feedback.services.reports import results

    with app.app_context():
        survey = catalog.get_survey(survey_id)
        tracemalloc.start()
        results.build(survey, by="store")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        db.session.remove()
        return peak


def run(label: str, url_for_size, sizes: list[int], repeat: int) -> list[tuple]:
    out = []
    for n in sizes:
        url = url_for_size(n)
        app = prepare(url)
        t0 = time.perf_counter()
        survey_id = populate(app, n)
        load = time.perf_counter() - t0
        base, full, count = [], [], 0
        for _ in range(repeat):  # interleaved, so a busy moment hurts both sides alike
            base.append(baseline(app, survey_id))
            elapsed, count = full_results(app, survey_id)
            full.append(elapsed)
        peak = results_memory(app, survey_id)
        assert count == n
        b, f = min(base), min(full)
        out.append((label, n, b, f, f / b, peak / 1e6, load))
        print(
            f"{label:<10} {n:>9,}  baseline {b:8.3f}s  results {f:8.3f}s  ratio {f / b:5.2f}x  "
            f"peak memory {peak / 1e6:6.1f} MB  (load {load:5.1f}s)",
            flush=True,
        )
        with app.app_context():
            from feedback.extensions import db

            db.engine.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="candor-bench-"))
    if args.only != "postgresql":
        rows += run("sqlite", lambda n: f"sqlite:///{tmp}/bench-{n}.db", sizes, args.repeat)
    pg = os.environ.get("FEEDBACK_BENCH_PG") or os.environ.get("FEEDBACK_TEST_DATABASE_URL")
    if pg and args.only != "sqlite":
        engine = create_engine(database_uri(pg, ""))

        def pg_url(n: int) -> str:
            schema = f"candor_bench_{n}"
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            return database_uri(pg, "") + f"?options=-csearch_path%3D{schema}"

        try:
            rows += run("postgresql", pg_url, sizes, args.repeat)
        finally:
            with engine.begin() as conn:
                for n in sizes:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "candor_bench_{n}" CASCADE'))
    elif args.only != "sqlite":
        print("PostgreSQL skipped: set FEEDBACK_BENCH_PG=postgresql://... to include it")
    worst = max(r[4] for r in rows if r[1] == max(sizes))
    print(
        f"\ntarget: results at most 2x the bare GROUP BY at {max(sizes):,} responses; "
        f"worst ratio {worst:.2f}x ({'met' if worst <= 2 else 'NOT met'})"
    )
    memory = [r[5] for r in rows]
    print(f"peak memory of the results call across sizes: {min(memory):.1f} to {max(memory):.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
