"""Answers that stop: invitations went out but nobody answered for two days."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Invitation, Response, Survey
from feedback.services.insights.alerts.finding import Finding
from feedback.services.insights.alerts.messages import N_

SILENCE_HOURS = 48
MIN_SILENT_INVITATIONS = 20
MESSAGE = N_(
    "No answers to %(survey)s for %(hours)s hours, though %(n)s invitations went out before that: check the "
    "survey link and the sending channel."
)


def findings(survey: Survey, management, now: datetime) -> list[Finding]:
    """Invitations went out two to four days ago and nobody has answered for two days, though
    answers came before: a broken link or a failed channel."""
    quiet_from = now - timedelta(hours=SILENCE_HOURS)
    sent = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.survey_id == survey.id,
            Invitation.sent_at >= now - timedelta(hours=2 * SILENCE_HOURS),
            Invitation.sent_at < quiet_from,
        )
    )
    if (sent or 0) < MIN_SILENT_INVITATIONS:
        return []
    recent = db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.submitted_at >= quiet_from)
    )
    before = db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.submitted_at < quiet_from)
    )
    if recent or not before:
        return []
    return [
        Finding(
            key=f"silence:management::{survey.id}",
            kind="silence",
            group_id=management.id if management else None,
            survey_id=survey.id,
            segment="",
            metric="responses",
            period="",
            direction="below",
            value=0,
            baseline=None,
            threshold=None,
            n=int(sent),
            template=MESSAGE,
            params={"survey": survey.name, "hours": SILENCE_HOURS, "n": int(sent)},
        )
    ]
