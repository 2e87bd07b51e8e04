"""What dispatch did, per survey and day: invitations created, suppressed and why, sent, failed."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import String, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from feedback.channels import mailbox
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


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The by-day rows added up per survey, and over all."""
    surveys: dict[str, dict[str, Any]] = {}
    for row in rows:
        into = surveys.setdefault(
            row["survey"],
            {
                "survey": row["survey"],
                "created": 0,
                "sent": 0,
                "failed": 0,
                "pending": 0,
                "suppressed": dict.fromkeys(SUPPRESSION_REASONS, 0),
            },
        )
        for key in ("created", "sent", "failed", "pending"):
            into[key] += row[key]
        for reason, n in row["suppressed"].items():
            into["suppressed"][reason] = into["suppressed"].get(reason, 0) + n
    overall = {
        "created": 0,
        "sent": 0,
        "failed": 0,
        "pending": 0,
        "suppressed": dict.fromkeys(SUPPRESSION_REASONS, 0),
    }
    for s in surveys.values():
        for key in ("created", "sent", "failed", "pending"):
            overall[key] += s[key]
        for reason, n in s["suppressed"].items():
            overall["suppressed"][reason] += n
    return {"surveys": sorted(surveys.values(), key=lambda s: s["survey"]), "overall": overall}


def funnel(*, days: int = 30, now: datetime | None = None) -> dict[str, int]:
    """Of the invitations sent in the window: how many were opened, started and completed.

    Opens are the first visit to the link, which mail scanners make too: an upper bound.
    """
    from feedback.models import Response

    since = (now or utcnow()) - timedelta(days=days)
    answered = (
        select(
            Response.invitation_id, func.max(case((Response.status == "complete", 1), else_=0)).label("done")
        )
        .where(Response.invitation_id.is_not(None))
        .group_by(Response.invitation_id)
        .subquery()
    )
    sent, opened, started, completed = db.session.execute(
        select(
            func.count(),
            func.count(Invitation.opened_at),
            func.count(answered.c.invitation_id),
            func.coalesce(func.sum(answered.c.done), 0),
        )
        .select_from(Invitation)
        .outerjoin(answered, answered.c.invitation_id == Invitation.id)
        .where(Invitation.sent_at >= since)
    ).one()
    failed = db.session.scalar(
        select(func.count(func.distinct(OutboxJob.invitation_id))).where(
            OutboxJob.status == "failed", OutboxJob.done_at >= since
        )
    )
    return {
        "sent": int(sent),
        "failed": int(failed or 0),
        "opened": int(opened),
        "started": int(started),
        "completed": int(completed),
    }


def failures(*, limit: int = 20) -> list[dict[str, Any]]:
    """The latest messages that failed for good, each with its reason."""
    from feedback.models import Customer

    rows = db.session.execute(
        select(
            OutboxJob.done_at,
            OutboxJob.kind,
            OutboxJob.channel,
            OutboxJob.attempts,
            OutboxJob.last_error,
            Survey.key,
            Customer.external_id,
            Invitation.id,
        )
        .join(Invitation, Invitation.id == OutboxJob.invitation_id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .join(Customer, Customer.id == Invitation.customer_id)
        .where(OutboxJob.status == "failed")
        .order_by(OutboxJob.done_at.desc(), OutboxJob.id.desc())
        .limit(limit)
    ).all()
    keys = ("at", "kind", "channel", "attempts", "reason", "survey", "customer", "invitation")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def dev_mailbox(limit: int = 10) -> list[dict[str, Any]] | None:
    """The newest messages the development mailbox holds; None when mail goes to a real server."""
    folder = current_app.config.get("MAILBOX_DIR")
    return mailbox.latest(Path(folder), limit) if folder else None


def dev_message(name: str):
    folder = current_app.config.get("MAILBOX_DIR")
    return mailbox.read(Path(folder), name) if folder else None
