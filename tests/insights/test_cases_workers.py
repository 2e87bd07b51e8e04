"""Two workers at once on PostgreSQL open each case exactly once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.dispatch.test_worker_processes import _env, _worker
from tests.insights.helpers import Said, seed

N = 120


def test_two_workers_open_each_case_once(app, database_url, smtp, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers at once is the PostgreSQL guarantee; SQLite runs one worker")
    seed(app, [Said(i % 7, f"the kettle broke, order {i}") for i in range(N)])
    env = _env(app, database_url, app.config["SMTP_PORT"], tmp_path)
    workers = [_worker(env, "2026-06-15T13:00:00+00:00"), _worker(env, "2026-06-15T13:00:00+00:00")]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case

        db.session.expire_all()
        total = db.session.scalar(select(func.count()).select_from(Case))
        distinct = db.session.scalar(select(func.count(func.distinct(Case.response_id))))
    assert total == distinct == N
