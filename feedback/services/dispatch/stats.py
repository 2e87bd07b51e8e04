"""What dispatch did, per survey and day: invitations created, suppressed and why, sent, failed."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from feedback.extensions import db
from feedback.models import Invitation, OutboxJob, Survey
from feedback.models.invitation import SUPPRESSION_REASONS as _REASONS
from feedback.models.types import utcnow

SUPPRESSION_REASONS = (*_REASONS, "stale")


class day_key(FunctionElement[str]):
    """'YYYY-MM-DD' of a UTC timestamp."""

    type = String()
    inherit_cache = True
    name = "day_key"


@compiles(day_key, "sqlite")
def _day_sqlite(element, compiler, **kw) -> str:
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)})"


@compiles(day_key, "postgresql")
def _day_pg(element, compiler, **kw) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


def by_day(*, days: int = 30, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per survey and day, newest first."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    table: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {
            "created": 0,
            "scheduled": 0,
            "suppressed": dict.fromkeys(SUPPRESSION_REASONS, 0),
            "sent": 0,
            "failed": 0,
            "pending": 0,
        }
    )
    created_day = day_key(Invitation.created_at)
    for key, day, status, reason, n in db.session.execute(
        select(Survey.key, created_day, Invitation.status, Invitation.suppression_reason, func.count())
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.created_at >= since)
        .group_by(Survey.key, created_day, Invitation.status, Invitation.suppression_reason)
    ):
        row = table[(key, day)]
        row["created"] += n
        if status == "suppressed":
            row["suppressed"][reason] = row["suppressed"].get(reason, 0) + n
        elif status == "scheduled":
            row["pending"] += n
    sent_day = day_key(Invitation.sent_at)
    for key, day, n in db.session.execute(
        select(Survey.key, sent_day, func.count())
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.sent_at >= since)
        .group_by(Survey.key, sent_day)
    ):
        table[(key, day)]["sent"] += n
    failed_day = day_key(OutboxJob.done_at)
    for key, day, n in db.session.execute(
        select(Survey.key, failed_day, func.count())
        .join(Invitation, Invitation.id == OutboxJob.invitation_id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(OutboxJob.status == "failed", OutboxJob.done_at >= since)
        .group_by(Survey.key, failed_day)
    ):
        table[(key, day)]["failed"] += n
    rows = [{"survey": k, "day": d, **v} for (k, d), v in table.items()]
    return sorted(rows, key=lambda r: (r["day"], r["survey"]), reverse=True)
