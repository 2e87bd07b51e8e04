"""Dispatch throughput, each figure beside a baseline measured in the same run.

- import: `feedback import purchases` of N rows (validation, customers, ON CONFLICT
  inserts, scheduling), against a bare Core executemany of the same purchase rows.
- scheduling: the API path (one purchase, its customer and invitations per transaction),
  against a bare INSERT + COMMIT of one purchase row per transaction.
- sending: the worker to a local SMTP sink (aiosmtpd), against smtplib sending the same
  number of ready-made messages to the same sink, one connection each as the worker does.
- scaling (PostgreSQL): send rate with one worker process, then two at once.

Run: .venv/bin/python bench/dispatch.py [--rows 100000] [--send 2000]
(PostgreSQL is included when FEEDBACK_BENCH_PG or FEEDBACK_TEST_DATABASE_URL is set.)
"""

from __future__ import annotations

import argparse
import io
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback import create_app  # noqa: E402
from feedback.config import database_uri  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 -- a throwaway database


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_app(url: str, smtp_port: int):
    import flask_migrate

    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": smtp_port,
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
    return app


def with_survey(app) -> None:
    from dataclasses import replace

    from feedback.services.design import designing
    from surveys import DispatchRule
    from surveys.templates import transactional_nps

    rule = DispatchRule(
        delay_hours=1,
        channels=("email",),
        quiet_hours=None,
        fatigue_days=0,
        rate_per_minute=10**9,
        reminder_after_days=None,
    )
    with app.app_context():
        designing.create_published(replace(transactional_nps(("en",)), dispatch=rule), activate=True)


def csv_rows(n: int, prefix: str, start: datetime) -> str:
    lines = ["order_id,customer_id,email,purchased_at,amount,currency,channel,category,store"]
    for i in range(n):
        c = i % (n // 2 or 1)
        lines.append(
            f"{prefix}{i},c{c},c{c}@example.com,{(start + timedelta(seconds=i)).isoformat()},"
            f"{10 + i % 90}.50,EUR,{'store' if i % 3 == 0 else 'online'},home,S{i % 8:02d}"
        )
    return "\n".join(lines) + "\n"


def bench_import(app, rows: int) -> tuple[float, float]:
    from feedback.extensions import db
    from feedback.services.intake import importing

    start = datetime.now(UTC) - timedelta(hours=1, seconds=rows)
    data = csv_rows(rows, "o", start)
    with app.app_context():
        t = time.perf_counter()
        run = importing.import_csv("purchases", io.StringIO(data), "bench.csv")
        ours = time.perf_counter() - t
        assert run.accepted == rows, (run.accepted, run.rejected, run.rejects[:2])
        # Baseline: the same purchase rows, bare, into a scratch table of the same shape.
        db.session.execute(text("CREATE TABLE bench_purchase AS SELECT * FROM purchase WHERE 1 = 0"))
        db.session.commit()
        plain = [
            {
                "external_id": f"b{i}",
                "customer_id": 1,
                "amount": 10.5,
                "currency": "EUR",
                "channel": "online",
                "properties": "{}",
                "purchased_at": start,
                "created_at": start,
            }
            for i in range(rows)
        ]
        t = time.perf_counter()
        for k in range(0, rows, 1000):
            db.session.execute(
                text(
                    "INSERT INTO bench_purchase (external_id, customer_id, amount, currency, channel, properties, "
                    "purchased_at, created_at) VALUES (:external_id, :customer_id, :amount, :currency, :channel, "
                    ":properties, :purchased_at, :created_at)"
                ),
                plain[k : k + 1000],
            )
            db.session.commit()
        base = time.perf_counter() - t
        db.session.execute(text("DROP TABLE bench_purchase"))
        # The send benchmark measures its own batch; the import's invitations stand aside.
        db.session.execute(text("UPDATE invitation SET status = 'cancelled' WHERE status = 'scheduled'"))
        db.session.execute(text("UPDATE outbox_job SET status = 'cancelled' WHERE status = 'pending'"))
        db.session.commit()
    return ours, base


def bench_schedule(app, n: int) -> tuple[float, float]:
    from feedback.extensions import db
    from feedback.services.intake import ingest

    at = datetime.now(UTC) - timedelta(minutes=30)
    bodies = [
        {
            "id": f"api{i}",
            "purchased_at": at.isoformat(),
            "amount": "9.90",
            "customer": {"id": f"a{i}", "email": f"a{i}@example.com"},
        }
        for i in range(n)
    ]
    with app.app_context():
        t = time.perf_counter()
        for body in bodies:
            ingest.record_purchase(ingest.read_purchase(body))
        ours = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(n):
            db.session.execute(
                text(
                    "INSERT INTO purchase (external_id, customer_id, amount, currency, properties, purchased_at, "
                    "created_at) VALUES (:e, 1, 9.9, 'EUR', '{}', :p, :p)"
                ),
                {"e": f"raw{i}", "p": at},
            )
            db.session.commit()
        base = time.perf_counter() - t
    return ours, base


def bench_send(app, sink: Sink, port: int, n: int) -> tuple[float, float]:
    from feedback.services.dispatch import sending

    with app.app_context():
        before = sink.count
        t = time.perf_counter()
        stats = sending.run_once(now=datetime.now(UTC) + timedelta(days=1), batch=100)
        ours = time.perf_counter() - t
        sent = sum(stats.sent.values())
        assert sink.count - before == sent >= n, (sent, n)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "x"
    message.set_content("x" * 2000)
    t = time.perf_counter()
    for _ in range(sent):
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(message)
    base = time.perf_counter() - t
    return ours / sent, base / sent


def bench_scaling(url: str, port: int, n: int) -> tuple[float, float]:
    """Seconds to send n due invitations with one worker process, then with two."""
    env = {
        **os.environ,
        "FEEDBACK_ENV": "testing",
        "FEEDBACK_DATABASE_URL": url,
        "FEEDBACK_SECRET_KEY": SECRET,
        "FEEDBACK_SMTP_HOST": "127.0.0.1",
        "FEEDBACK_SMTP_PORT": str(port),
        "FEEDBACK_INSTANCE_PATH": tempfile.mkdtemp(),
    }
    times = []
    for workers in (1, 2):
        app = make_app(url, port)
        from feedback.services.intake import ingest

        with app.app_context():
            at = datetime.now(UTC) - timedelta(minutes=30)
            for i in range(n):
                ingest.record_purchase(
                    ingest.read_purchase(
                        {
                            "id": f"w{workers}-{i}",
                            "purchased_at": at.isoformat(),
                            "customer": {"id": f"w{workers}-{i}", "email": f"w{i}@example.com"},
                        }
                    ),
                    commit=(i % 200 == 0),
                )
            from feedback.extensions import db

            db.session.commit()
        now = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        t = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "feedback", "worker", "--once", "--now", now, "--batch", "50"],
                env=env,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        for p in procs:
            assert p.wait(timeout=600) == 0
        times.append(time.perf_counter() - t)
    return times[0], times[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schedule", type=int, default=2000)
    parser.add_argument("--send", type=int, default=2000)
    args = parser.parse_args()
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    targets = [("sqlite", f"sqlite:///{tempfile.mkdtemp()}/bench.db")]
    pg = os.environ.get("FEEDBACK_BENCH_PG") or os.environ.get("FEEDBACK_TEST_DATABASE_URL")
    engine = None
    if pg:
        engine = create_engine(database_uri(pg, ""))
        with engine.begin() as conn:
            conn.execute(text('DROP SCHEMA IF EXISTS "candor_bench_dispatch" CASCADE'))
            conn.execute(text('CREATE SCHEMA "candor_bench_dispatch"'))
        targets.append(
            ("postgresql", database_uri(pg, "") + "?options=-csearch_path%3Dcandor_bench_dispatch")
        )
    else:
        print("PostgreSQL skipped: set FEEDBACK_BENCH_PG=postgresql://... to include it")
    try:
        for label, url in targets:
            app = make_app(url, port)
            with_survey(app)
            ours, base = bench_import(app, args.rows)
            print(
                f"{label:<10} import {args.rows:,} purchases: {ours:6.1f}s ({args.rows / ours:,.0f} rows/s); "
                f"bare insert of the same rows {base:5.1f}s; ratio {ours / base:4.1f}x"
            )
            ours, base = bench_schedule(app, args.schedule)
            print(
                f"{label:<10} scheduling via the API path: {args.schedule / ours:,.0f} purchases/s; bare "
                f"insert + commit per row {args.schedule / base:,.0f}/s; ratio {ours / base:4.1f}x"
            )
            per, per_base = bench_send(app, sink, port, args.send)
            print(
                f"{label:<10} sending: {1 / per:,.0f} messages/s to a local SMTP sink; bare smtplib "
                f"{1 / per_base:,.0f}/s; ratio {per / per_base:4.1f}x"
            )
            if label == "postgresql":
                one, two = bench_scaling(url, port, args.send)
                print(
                    f"{label:<10} {args.send:,} messages: one worker {one:5.1f}s "
                    f"({args.send / one:,.0f}/s), two workers {two:5.1f}s ({args.send / two:,.0f}/s); "
                    f"speed-up {one / two:4.2f}x on {os.cpu_count()} cores"
                )
            with app.app_context():
                from feedback.extensions import db

                db.engine.dispose()
    finally:
        controller.stop()
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text('DROP SCHEMA IF EXISTS "candor_bench_dispatch" CASCADE'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
