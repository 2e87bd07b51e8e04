"""Personal survey links: the invitation behind a token, compared by hash in constant time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from feedback.extensions import db
from feedback.models import Customer, Invitation, Response, Survey, SurveyVersion
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.published import published
from feedback.services.responding import Draft, stored_answers

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Links that were never sent or were withdrawn answer like expired ones.
CLOSED_STATUSES = ("expired", "cancelled", "suppressed")


def invitation_for(token: str) -> Invitation | None:
    if not token or not TOKEN_RE.match(token):
        return None
    digest = tokens.digest(token)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == digest))
    if invitation is None or not tokens.same(invitation.token_hash, digest):
        return None
    return invitation


def customer_for(invitation: Invitation) -> Customer:
    return db.session.get(Customer, invitation.customer_id)


@dataclass
class Visit:
    """What a token opens: ``state`` is open, answered, closed or unknown."""

    state: str
    invitation: Invitation | None = None
    draft: Draft | None = None
    response_id: int | None = None
    review_prompted: bool = False
    review_url: str | None = None
    expires_at: datetime | None = None


def visit(token: str, now: datetime | None = None) -> Visit:
    """One query finds the invitation, its response so far and its version's publication time."""
    if not token or not TOKEN_RE.match(token):
        return Visit("unknown")
    digest = tokens.digest(token)
    row = db.session.execute(
        select(
            Invitation,
            Response.id,
            Response.status,
            Response.page,
            Response.review_prompted,
            SurveyVersion.published_at,
            Survey.review_prompt_url,
        )
        .join(Survey, Survey.id == Invitation.survey_id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .outerjoin(SurveyVersion, SurveyVersion.id == Invitation.version_id)
        .where(Invitation.token_hash == digest)
    ).first()
    if row is None or not tokens.same(row[0].token_hash or "", digest):
        return Visit("unknown")
    invitation, response_id, status, page, review_prompted, published_at, review_url = row
    if status == "complete":
        return Visit(
            "answered",
            invitation,
            response_id=response_id,
            review_prompted=review_prompted,
            review_url=review_url,
        )
    now = now or utcnow()
    expired = invitation.expires_at is not None and invitation.expires_at <= now
    if invitation.status in CLOSED_STATUSES or expired or invitation.version_id is None:
        return Visit("closed", invitation)
    version = published(invitation.version_id, published_at)
    draft = Draft(
        version=version,
        locale=invitation.locale
        if invitation.locale in version.spec.locales
        else version.spec.default_locale,
        response_id=response_id,
        page=page or 1,
        answers=stored_answers(response_id, version) if response_id else {},
        origin={
            "source": "invitation",
            "invitation_id": invitation.id,
            "customer_id": invitation.customer_id,
            "tier": invitation.tier,
            "sales_channel": invitation.sales_channel,
            "region": invitation.region,
            "category": invitation.category,
            "store": invitation.store,
        },
        review_url=review_url,
    )
    return Visit("open", invitation, draft=draft, response_id=response_id, expires_at=invitation.expires_at)


def on_submit(invitation: Invitation):
    """The submitting transaction also closes the invitation and dates the customer's last answer."""

    def apply(_response_id: int, now: datetime) -> None:
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id)
            .values(status="responded", responded_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Customer)
            .where(Customer.id == invitation.customer_id)
            .values(last_responded_at=now)
            .execution_options(synchronize_session=False)
        )

    return apply
