"""The customer's answer to "Did we fix it?": the one-question page behind a single-use link.

The question is scheduled and sent by the dispatch worker (``dispatch.follow_up_plan`` and
``dispatch.follow_up_send``); here the link is checked and the answer stored on the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from feedback.extensions import db
from feedback.models import Case, CaseEvent, CaseFollowUp
from feedback.models.recovery import FOLLOW_UP_ANSWERS
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.insights.sla import aware


@dataclass(frozen=True)
class Visit:
    """What a follow-up link opens: ``state`` is open, answered, closed or unknown."""

    state: str
    locale: str = "en"
    answer: str | None = None


def _by_token(token: str) -> CaseFollowUp | None:
    if not token or len(token) > 64 or not token.isascii():
        return None
    digest = tokens.digest(token)
    found = db.session.scalar(select(CaseFollowUp).where(CaseFollowUp.token_hash == digest))
    if found is None or not tokens.same(found.token_hash or "", digest):
        return None
    return found


def visit(token: str, now: datetime | None = None) -> Visit:
    now = now or utcnow()
    found = _by_token(token)
    if found is None:
        return Visit("unknown")
    if found.answered_at is not None:
        answer = db.session.scalar(select(Case.customer_says).where(Case.id == found.case_id))
        return Visit("answered", found.locale, answer)
    if found.status not in ("scheduled", "sent") or (
        found.expires_at is not None and aware(found.expires_at) <= now
    ):
        return Visit("closed", found.locale)
    return Visit("open", found.locale)


def answer(token: str, choice: str, now: datetime | None = None) -> Visit:
    """Store the customer's answer once; a second answer through the same link changes nothing.

    Raises ValueError for a choice that is not yes, partly or no.
    """
    now = now or utcnow()
    if choice not in FOLLOW_UP_ANSWERS:
        raise ValueError(f"answer must be one of {', '.join(FOLLOW_UP_ANSWERS)}")
    seen = visit(token, now)
    if seen.state != "open":
        return seen
    found = _by_token(token)
    # The conditional update is what makes the link single-use when two answers race.
    taken = db.session.execute(
        update(CaseFollowUp)
        .where(CaseFollowUp.id == found.id, CaseFollowUp.answered_at.is_(None))
        .values(answered_at=now, status="answered")
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        return visit(token, now)
    case = db.session.get(Case, found.case_id)
    case.customer_says, case.customer_said_at = choice, now
    db.session.add(CaseEvent(case_id=case.id, at=now, kind="customer_answered", data={"answer": choice}))
    db.session.commit()
    return Visit("answered", found.locale, choice)


def of_case(case_id: int) -> dict | None:
    """The follow-up's state for the case page."""
    found = db.session.scalar(select(CaseFollowUp).where(CaseFollowUp.case_id == case_id))
    if found is None:
        return None
    return {
        "status": found.status,
        "reason": found.suppression_reason,
        "channel": found.channel,
        "send_at": found.send_at,
        "sent_at": found.sent_at,
        "answered_at": found.answered_at,
    }
