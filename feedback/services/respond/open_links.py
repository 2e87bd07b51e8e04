"""Open links: one public address per survey, for a receipt or a QR code in a store.

Anyone may answer, so these responses are not a random sample of customers; they are
stored with source "open_link" and the results keep them apart from invited ones.
Duplicates are held back by a signed browser cookie (one submission per survey per
browser) and by a per-address rate limit on submissions; neither stops a determined
person with many browsers and addresses, which is why the results never mix the two.
"""

from __future__ import annotations

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Response, Survey, SurveyVersion
from feedback.services.respond.published import Published, published
from feedback.services.respond.responding import Draft, stored_answers


def open_survey(key: str) -> tuple[Survey, Published] | None:
    """The survey behind an open link, if it is live and the company turned its open link on."""
    survey = db.session.scalar(
        select(Survey).where(Survey.key == key, Survey.open_link_enabled.is_(True), Survey.status == "active")
    )
    if survey is None:
        return None
    row = db.session.execute(
        select(SurveyVersion.id, SurveyVersion.published_at)
        .where(SurveyVersion.survey_id == survey.id, SurveyVersion.status == "published")
        .order_by(SurveyVersion.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return survey, published(row.id, row.published_at)


def draft_for(survey: Survey, version: Published, locale: str, response_id: int | None) -> Draft:
    """This browser's open-link response so far (its id comes from the signed session cookie)."""
    draft = Draft(
        version=version,
        locale=locale,
        origin={"source": "open_link", "invitation_id": None, "customer_id": None},
        review_url=survey.review_prompt_url,
    )
    if response_id is None:
        return draft
    row = db.session.execute(
        select(Response.version_id, Response.page, Response.locale).where(
            Response.id == response_id,
            Response.survey_id == survey.id,
            Response.source == "open_link",
            Response.status == "partial",
        )
    ).first()
    if row is None or row.version_id != version.version_id:
        return draft  # submitted, gone, or a newer version went live: start afresh
    draft.response_id, draft.page = response_id, row.page
    draft.answers = stored_answers(response_id, version)
    return draft


CEILING_EVENT = "open_link_ceiling_reached"


def ceiling_reached(survey: Survey) -> None:
    """Record, at most once an hour, that the survey's open link hit its hourly ceiling: someone
    may be filling it from many addresses. The survey page shows it to staff."""
    from datetime import timedelta

    from feedback.models import AuditEvent
    from feedback.models.types import utcnow
    from feedback.services import audit

    since = utcnow() - timedelta(hours=1)
    recent = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.action == CEILING_EVENT,
            AuditEvent.target_type == "survey",
            AuditEvent.target_id == survey.id,
            AuditEvent.occurred_at >= since,
        )
        .limit(1)
    )
    if recent is None:
        audit.record(CEILING_EVENT, actor_type="system", target=survey)
        db.session.commit()


def last_ceiling(survey_id: int):
    """When the open link last reached its hourly ceiling, or None."""
    from sqlalchemy import func

    from feedback.models import AuditEvent

    return db.session.scalar(
        select(func.max(AuditEvent.occurred_at)).where(
            AuditEvent.action == CEILING_EVENT,
            AuditEvent.target_type == "survey",
            AuditEvent.target_id == survey_id,
        )
    )
