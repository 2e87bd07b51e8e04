"""Respondent pages under gunicorn, beside a bare Flask + SQLAlchemy Core insert endpoint.

Both servers run side by side with the same gunicorn worker count against the same
database, and are driven by the same load generator (N concurrent clients, each request
on a new connection as gunicorn's sync workers close them). Submit and bare load
alternate in rounds (only one server is busy at a time), so a slow moment of the machine
falls on both; the ratio printed is the median of the rounds' ratios.

- page: GET /s/<token>, the survey page of a personal link (token lookup, render).
- submit: POST /s/<token>, a full submission of a one-page NPS + reason survey: token
  check, CSRF, parse and validate, response and answers, invitation and customer
  updates, commit, redirect. Every POST uses a fresh single-use link.
- bare: POST /bare, a Flask view inserting one row with SQLAlchemy Core and committing.

Targets: submit throughput at least half the bare endpoint's, p99 under 100 ms at 16
clients, and the page (HTML with its inline CSS) under 30 KB.

Run: .venv/bin/python bench/respond.py [--requests 4000] [--rounds 4] [--clients 16] [--workers 4]
(PostgreSQL is included when FEEDBACK_BENCH_PG or FEEDBACK_TEST_DATABASE_URL is set.)
"""

from __future__ import annotations

import argparse
import html
import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support.links import nps_reason_spec, sent_invitations  # noqa: E402

from feedback import create_app  # noqa: E402
from feedback.config import database_uri  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 -- a throwaway database
BARE_APP = """
import os
from flask import Flask, request
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["BENCH_URL"], pool_size=5)
app = Flask(__name__)

@app.post("/bare")
def bare():
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO bench_row (score, reason) VALUES (:score, :reason)"),
            {"score": int(request.form["nps"]), "reason": request.form.get("reason", "")},
        )
    return "stored", 201
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, invitations: int) -> tuple[list[str], str]:
    """Migrate, publish a one-page survey, and create invitations whose link tokens we know."""
    import flask_migrate

    app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        flask_migrate.upgrade()
        from feedback.extensions import db
        from feedback.models import Customer, Invitation
        from feedback.services.design import designing
        from surveys import serialize

        survey = designing.create_published(serialize.from_dict(nps_reason_spec("bench", "Bench")))
        from feedback.services.design import catalog

        version_id = catalog.live_version(survey.id).id
        db.session.execute(
            insert(Customer),
            [
                {"external_id": f"c{i}", "email": f"c{i}@example.com", "locale": "en", "properties": {}}
                for i in range(invitations)
            ],
        )
        ids = [r[0] for r in db.session.execute(text("SELECT id FROM customer ORDER BY id"))]
        rows, links = sent_invitations(survey.id, version_id, ids)
        db.session.execute(insert(Invitation), rows)
        key = "BIGSERIAL PRIMARY KEY" if db.engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
        db.session.execute(text(f"CREATE TABLE bench_row (id {key}, score INTEGER, reason TEXT)"))
        db.session.commit()
        db.engine.dispose()
    return links, version_id


def serve(target: str, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        env={**os.environ, **env},
        cwd=env.get("BENCH_CWD", str(ROOT)),
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"gunicorn {target} did not start")


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    all_headers = {"Connection": "close", **(headers or {})}
    if body:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    result = response.status, response.getheaders(), data
    conn.close()
    return result


def _raw(method: str, path: str, body: bytes, headers: dict) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _drive(port: int, payloads: list[bytes], clients: int) -> tuple[list[float], dict]:
    """``clients`` concurrent connections, each request on its own connection, as a browser would."""
    import asyncio

    queue = list(reversed(payloads))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def client() -> None:
        while queue:
            payload = queue.pop()
            start = time.perf_counter()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(payload)
            data = await reader.read()
            writer.close()
            latencies.append(time.perf_counter() - start)
            status = int(data[9:12])
            statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, statuses


def _client_process(port, payloads, clients, out):
    import asyncio

    out.put(asyncio.run(_drive(port, payloads, clients)))


def load(port: int, jobs: list, clients: int, processes: int = 2) -> dict:
    """Run ``jobs`` (method, path, body, headers) with ``clients`` connections over load processes.

    The load generator is asyncio on raw sockets, so that it costs the machine far less than
    the servers it measures; it runs identically for every server.
    """
    payloads = [_raw(*job) for job in jobs]
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    shares = [payloads[i::processes] for i in range(processes)]
    procs = [
        ctx.Process(target=_client_process, args=(port, share, clients // processes, out)) for share in shares
    ]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - start
    latencies = sorted(x for r in results for x in r[0])
    statuses: dict = {}
    for r in results:
        for k, v in r[1].items():
            statuses[k] = statuses.get(k, 0) + v
    return summarize([(latencies, wall, statuses)])


def summarize(parts: list[tuple[list[float], float, dict]]) -> dict:
    """Throughput and latency over one or more load runs (requests over summed wall time)."""
    latencies = sorted(x for part in parts for x in part[0])
    statuses: dict = {}
    for part in parts:
        for k, v in part[2].items():
            statuses[k] = statuses.get(k, 0) + v
    wall = sum(part[1] for part in parts)
    return {
        "rps": len(latencies) / wall,
        "p50": 1000 * statistics.median(latencies),
        "p99": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "statuses": statuses,
        "raw": (latencies, wall, statuses),
    }


def session_for(port: int, token: str) -> tuple[str, str, int]:
    """GET one page: the session cookie, the form's hidden fields (CSRF token, page, survey
    version) urlencoded as a browser posts them, and the page's size in bytes."""
    status, headers, body = request(port, "GET", f"/s/{token}")
    assert status == 200, status
    cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    hidden = re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
    assert {name for name, _ in hidden} >= {b"csrf_token", b"page"}, hidden
    fields = urlencode([(name.decode(), html.unescape(value.decode())) for name, value in hidden])
    return cookie, fields, len(body)


def run(label: str, url: str, args) -> list[str]:
    """Both servers run side by side; submit and bare load alternate in rounds, so a slow
    moment of the machine falls on both, and the ratio is reported per round."""
    warm = 200
    links, _ = prepare(url, args.requests + warm + 1)
    env = {
        "FEEDBACK_ENV": "production",
        "FEEDBACK_DATABASE_URL": url,
        "FEEDBACK_SECRET_KEY": SECRET,
        "FEEDBACK_PUBLIC_RATE_LIMIT": "100000000 per minute",
        "BENCH_URL": database_uri(url, ""),
    }
    bare_dir = Path(tempfile.mkdtemp(prefix="candor-bare-"))
    (bare_dir / "bare_app.py").write_text(BARE_APP)
    lines = []
    per_round = args.requests // args.rounds
    app_proc, port = serve("feedback:create_app()", env, args.workers)
    bare_proc, bare_port = serve("bare_app:app", {**env, "BENCH_CWD": str(bare_dir)}, args.workers)
    try:
        cookie, hidden, size = session_for(port, links[-1])
        reader = [("GET", f"/s/{links[-1]}", b"", {"Cookie": cookie})]
        load(port, reader * warm, args.clients)
        page = load(port, reader * args.requests, args.clients)
        body = f"{hidden}&nps=9&reason=Quick+and+friendly".encode()
        submits = [("POST", f"/s/{t}", body, {"Cookie": cookie}) for t in links[: args.requests + warm]]
        bare_jobs = [("POST", "/bare", b"nps=9&reason=Quick+and+friendly", {})]
        load(port, submits[:warm], args.clients)
        load(bare_port, bare_jobs * warm, args.clients)
        submit_parts, bare_parts, ratios = [], [], []
        for r in range(args.rounds):
            chunk = submits[warm + r * per_round : warm + (r + 1) * per_round]
            s_run = load(port, chunk, args.clients)
            b_run = load(bare_port, bare_jobs * per_round, args.clients)
            submit_parts.append(s_run["raw"])
            bare_parts.append(b_run["raw"])
            ratios.append(s_run["rps"] / b_run["rps"])
        submit, bare = summarize(submit_parts), summarize(bare_parts)
    finally:
        for proc in (app_proc, bare_proc):
            proc.terminate()
            proc.wait()
    stored = create_engine(database_uri(url, "")).connect()
    complete = stored.execute(text("SELECT count(*) FROM response WHERE status = 'complete'")).scalar()
    stored.close()

    done = per_round * args.rounds
    assert submit["statuses"] == {303: done}, submit["statuses"]
    assert complete == done + warm, complete
    assert bare["statuses"] == {201: done}, bare["statuses"]
    ratio = statistics.median(ratios)
    for name, r in (("page (GET)", page), ("submit (POST)", submit), ("bare Core insert", bare)):
        lines.append(
            f"{label:10} {name:17} {r['rps']:7,.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms"
        )
    lines.append(
        f"{label:10} submit/bare throughput ratio {ratio:.2f} (median of {args.rounds} alternating rounds: "
        f"{', '.join(f'{x:.2f}' for x in ratios)}; target >= 0.50); submit p99 {submit['p99']:.0f} ms "
        f"(target < 100); page {size:,} bytes (target < 30,000); {complete:,} responses stored, one per link"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4, help="alternating submit/bare rounds")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.rounds < 1 or args.requests < args.rounds:
        parser.error("--rounds must be at least 1 and at most --requests")
    print(
        f"{args.workers} gunicorn workers, {args.clients} concurrent clients, {args.requests:,} requests each"
    )
    lines = []
    if args.only != "postgresql":
        tmp = Path(tempfile.mkdtemp(prefix="candor-bench-"))
        lines += run("sqlite", f"sqlite:///{tmp}/respond.db", args)
    pg = os.environ.get("FEEDBACK_BENCH_PG") or os.environ.get("FEEDBACK_TEST_DATABASE_URL")
    if pg and args.only != "sqlite":
        engine = create_engine(database_uri(pg, ""))
        schema = "candor_bench_respond"
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            lines += run("postgresql", database_uri(pg, "") + f"?options=-csearch_path%3D{schema}", args)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    elif args.only != "sqlite":
        print("PostgreSQL skipped: set FEEDBACK_BENCH_PG=postgresql://... to include it")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
