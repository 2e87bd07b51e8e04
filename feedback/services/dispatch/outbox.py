"""Claiming work from the outbox with a lease, so any number of workers share it safely.

PostgreSQL: the claim selects due jobs FOR UPDATE SKIP LOCKED and marks them leased in
one statement, so two workers never take the same job. SQLite: the same statement runs
under SQLite's single writer lock, which gives the same guarantee for one machine.
A job whose lease has run out (its worker died) is due again.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from feedback.extensions import db
from feedback.models import OutboxJob

BACKOFF_BASE = 60.0  # seconds before the first retry
BACKOFF_CAP = 3600.0
MAX_ATTEMPTS = 8


def claim(worker: str, now: datetime, *, limit: int = 50, lease_seconds: int = 120) -> list[int]:
    due = or_(
        and_(OutboxJob.status == "pending", OutboxJob.due_at <= now),
        and_(OutboxJob.status == "leased", OutboxJob.lease_until < now),
    )
    candidates = (
        select(OutboxJob.id)
        .where(due)
        .order_by(OutboxJob.due_at, OutboxJob.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (
        db.session.execute(
            update(OutboxJob)
            .where(OutboxJob.id.in_(candidates.scalar_subquery()))
            .values(
                status="leased",
                lease_owner=worker,
                lease_until=now + timedelta(seconds=lease_seconds),
                attempts=OutboxJob.attempts + 1,
            )
            .returning(OutboxJob.id)
            .execution_options(synchronize_session=False)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    return sorted(rows)


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with full jitter, capped: 1 min, 2, 4... up to an hour."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=(rng or random).uniform(ceiling / 2, ceiling))


def owned(job_id: int, worker: str) -> OutboxJob | None:
    """The job, if this worker still holds its lease (another may have taken it after a stall)."""
    job = db.session.get(OutboxJob, job_id)
    if job is None or job.status != "leased" or job.lease_owner != worker:
        return None
    return job
