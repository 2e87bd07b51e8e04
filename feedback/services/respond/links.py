"""Personal survey links: the invitation behind a token, compared by hash in constant time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update

from feedback.extensions import db
from feedback.models import Customer, Invitation, Response, Survey, SurveyVersion
from feedback.models.segments import period_of
from feedback.models.types import utcnow
from feedback.services import persist, tokens
from feedback.services.respond import response_sql
from feedback.services.respond.answer_rows import rows_for
from feedback.services.respond.published import cached, published
from feedback.services.respond.responding import Draft, Step, complete_at_once, promoter, stored_answers

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Links that were never sent or were withdrawn answer like expired ones.
CLOSED_STATUSES = ("expired", "cancelled", "suppressed")


def digest_of(token: str) -> str | None:
    """The hash a well-formed token is stored under; None for anything that cannot be a token."""
    return tokens.digest(token) if token and TOKEN_RE.match(token) else None


def invitation_for(token: str) -> Invitation | None:
    digest = digest_of(token)
    if digest is None:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == digest))
    if invitation is None or not tokens.same(invitation.token_hash, digest):
        return None
    return invitation


def customer_for(invitation: Invitation) -> Customer:
    return db.session.get(Customer, invitation.customer_id)


@dataclass
class Visit:
    """What a token opens: ``state`` is open, answered, closed or unknown.

    ``invitation`` is a row of VISIT: the invitation's columns, not an ORM object.
    """

    state: str
    invitation: Any = None
    draft: Draft | None = None
    response_id: int | None = None
    review_prompted: bool = False
    review_url: str | None = None
    expires_at: datetime | None = None


_inv, _resp = Invitation.__table__, Response.__table__
_version, _survey = SurveyVersion.__table__, Survey.__table__
# Built once: a link is opened far more often than anything else, and building a statement
# costs more than running it. One query finds the invitation, its response so far, its
# version's publication time (the cache key of the parsed survey) and the review setting.
VISIT = (
    select(
        _inv.c.id,
        _inv.c.survey_id,
        _inv.c.version_id,
        _inv.c.customer_id,
        _inv.c.token_hash,
        _inv.c.channel,
        _inv.c.locale,
        _inv.c.status,
        _inv.c.expires_at,
        _inv.c.opened_at,
        _inv.c.tier,
        _inv.c.sales_channel,
        _inv.c.region,
        _inv.c.category,
        _inv.c.store,
        _resp.c.id.label("response_id"),
        _resp.c.status.label("response_status"),
        _resp.c.page.label("response_page"),
        _resp.c.review_prompted,
        _version.c.published_at,
        _survey.c.review_prompt_url,
    )
    .select_from(
        _inv.join(_survey, _survey.c.id == _inv.c.survey_id)
        .outerjoin(_resp, _resp.c.invitation_id == _inv.c.id)
        .outerjoin(_version, _version.c.id == _inv.c.version_id)
    )
    .where(_inv.c.token_hash == bindparam("digest"))
)
SEGMENTS = ("tier", "sales_channel", "region", "category", "store")


def visit(token: str, now: datetime | None = None) -> Visit:
    digest = digest_of(token)
    if digest is None:
        return Visit("unknown")
    row = persist.first(VISIT, {"digest": digest})
    if row is None or not tokens.same(row.token_hash or "", digest):
        return Visit("unknown")
    if row.response_status == "complete":
        return Visit(
            "answered",
            row,
            response_id=row.response_id,
            review_prompted=row.review_prompted,
            review_url=row.review_prompt_url,
        )
    now = now or utcnow()
    expired = row.expires_at is not None and row.expires_at <= now
    if row.status in CLOSED_STATUSES or expired or row.version_id is None:
        return Visit("closed", row)
    version = published(row.version_id, row.published_at)
    spec = version.spec
    draft = Draft(
        version=version,
        locale=spec.locale_for(row.locale),
        response_id=row.response_id,
        page=row.response_page or 1,
        answers=stored_answers(row.response_id, version) if row.response_id else {},
        origin={
            "source": "invitation",
            "invitation_id": row.id,
            "customer_id": row.customer_id,
            **{name: getattr(row, name) for name in SEGMENTS},
        },
        review_url=row.review_prompt_url,
    )
    return Visit("open", row, draft=draft, response_id=row.response_id, expires_at=row.expires_at)


OPENED = (
    update(_inv)
    .where(_inv.c.id == bindparam("invitation"), _inv.c.opened_at.is_(None))
    .values(opened_at=bindparam("opened"))
)


def record_open(visit: Visit, now: datetime | None = None) -> None:
    """The first time a link is opened. Mail scanners open links too, so opens are an upper bound."""
    if visit.invitation is None or visit.invitation.opened_at is not None:
        return
    db.session.execute(OPENED, {"invitation": visit.invitation.id, "opened": now or utcnow()})
    db.session.commit()


def submit_at_once(
    token: str, version_hint: str | None, page: int, form, *, back: bool = False
) -> Step | None:
    """A link's one-page answer stored in one statement; None sends the caller down the
    general path (``visit`` then ``save_page``), which decides every other case.

    Most answers are a one-page survey submitted once. The page names its survey version,
    a hint that is never trusted: when this process has that version parsed, the answers are
    checked against it, and one PostgreSQL statement finds the invitation by the token's
    hash as ``visit`` does, applies the same rules (not closed or expired, that version, no
    response yet), and stores the response, its answers, the invitation's close and the
    customer's last answer. Another database, an unknown version, errors, a further page,
    a link that is not open, or a race lost to another submit all return None.
    """
    digest = digest_of(token)
    if digest is None or not (version_hint or "").isdigit() or persist.dialect() != "postgresql":
        return None
    hit = cached(int(version_hint))
    if hit is None:
        return None
    published_at, version = hit
    spec = version.spec
    answers = complete_at_once(spec, page, form, back=back)
    if answers is None:
        return None
    now = utcnow()
    params = {
        "digest": digest,
        "version_id": version.version_id,
        "published_at": published_at,
        "closed": list(CLOSED_STATUSES),
        "locales": list(spec.locales),
        "default_locale": spec.default_locale,
        "page": page,
        "promoter": promoter(spec, answers),
        "now": now,
        "period": period_of(now),
    }
    # None: not open, or a response exists (half-done, or another submit got there first).
    row = response_sql.create_by_token(params, rows_for(answers, list(answers), version.layout))
    if row is None:
        return None
    return Step(
        "submitted", page=page, answers=answers, response_id=row.id, review_prompted=row.review_prompted
    )


RESPONDED = (
    update(_inv)
    .where(_inv.c.id == bindparam("invitation"))
    .values(status="responded", responded_at=bindparam("now"))
)
LAST_RESPONDED = (
    update(Customer.__table__)
    .where(Customer.__table__.c.id == bindparam("customer"))
    .values(last_responded_at=bindparam("now"), updated_at=bindparam("now"))
)

# PostgreSQL does both in one statement, saving a round trip on every submission.
_closed = RESPONDED.returning(_inv.c.customer_id).cte("responded")
RESPONDED_AND_LAST = (
    update(Customer.__table__)
    .where(Customer.__table__.c.id == _closed.c.customer_id)
    .values(last_responded_at=bindparam("now"), updated_at=bindparam("now"))
)


def on_submit(invitation):
    """The submitting transaction also closes the invitation and dates the customer's last answer."""

    def apply(_response_id: int, now: datetime) -> None:
        if persist.dialect() == "postgresql":
            db.session.execute(RESPONDED_AND_LAST, {"invitation": invitation.id, "now": now})
            return
        db.session.execute(RESPONDED, {"invitation": invitation.id, "now": now})
        db.session.execute(LAST_RESPONDED, {"customer": invitation.customer_id, "now": now})

    return apply
