"""Workers as real processes: two at once share the work on PostgreSQL; kill -9 loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_SECRET
from tests.purchases import T0, purchase, survey

N = 200


def _env(app, database_url, smtp_port, tmp_path) -> dict[str, str]:
    return {
        **os.environ,
        "FEEDBACK_ENV": "testing",
        "FEEDBACK_DATABASE_URL": database_url,
        "FEEDBACK_SECRET_KEY": TEST_SECRET,
        "FEEDBACK_SMTP_HOST": "127.0.0.1",
        "FEEDBACK_SMTP_PORT": str(smtp_port),
        "FEEDBACK_LEASE_SECONDS": "5",
        "FEEDBACK_INSTANCE_PATH": str(tmp_path),
    }


def _worker(env, now, batch=10) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "feedback", "worker", "--once", "--now", now, "--batch", str(batch)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _schedule(app, n: int) -> None:
    survey(app)
    with app.app_context():
        from feedback.services.intake import ingest

        for i in range(n):
            ingest.record_purchase(ingest.read_purchase(purchase(f"o{i}", f"c{i}")))


def _sent(app) -> int:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation

        db.session.expire_all()
        return db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.status == "sent")
        )


def test_two_workers_send_each_invitation_exactly_once(app, database_url, smtp, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers at once is the PostgreSQL guarantee; SQLite runs one worker")
    _schedule(app, N)
    smtp.delay = 0.003
    env = _env(app, database_url, app.config["SMTP_PORT"], tmp_path)
    when = (T0 + timedelta(days=2)).isoformat()
    workers = [_worker(env, when), _worker(env, when)]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    keys = [m["X-Candor-Idempotency-Key"] for m in smtp.messages]
    assert len(keys) == N
    assert len(set(keys)) == N  # none twice
    assert _sent(app) == N  # none skipped
    assert all("sent 0 " not in out for out in outputs), outputs  # both took a share


def test_kill_9_mid_batch_loses_nothing(app, database_url, smtp, tmp_path):
    _schedule(app, N)
    smtp.delay = 0.02
    env = _env(app, database_url, app.config["SMTP_PORT"], tmp_path)
    when = T0 + timedelta(days=2)
    first = _worker(env, when.isoformat(), batch=20)
    deadline = time.time() + 60
    while len(smtp.messages) < 50 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    first.stdout.close()
    at_kill = len(smtp.messages)
    assert 50 <= at_kill < N
    # The dead worker's leases run out after 5 seconds (of the worker's clock); the next one takes over.
    second = _worker(env, (when + timedelta(seconds=10)).isoformat(), batch=20)
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0, out
    keys = [m["X-Candor-Idempotency-Key"] for m in smtp.messages]
    assert set(keys) == {f"candor-invitation-{i}" for i in _invitation_ids(app)}  # every one delivered
    duplicates = len(keys) - len(set(keys))
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with (artifacts / "dispatch-kill-9.txt").open("a") as report:
        report.write(
            f"{database_url.split(':')[0]}: {N} due, killed after {at_kill} accepted, "
            f"{len(keys)} messages in all, {duplicates} duplicate(s)\n"
        )
    # At least once: only a message the server had accepted when the worker died can go twice.
    assert duplicates <= 1
    assert _sent(app) == N


def _invitation_ids(app) -> list[int]:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation

        return list(db.session.scalars(select(Invitation.id).where(Invitation.status == "sent")))
