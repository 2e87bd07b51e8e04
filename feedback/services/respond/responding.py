"""Answering a survey: each page is stored when submitted, and the last one submits once.

The invitation link and the open link share this; they differ in how the response is
found (token or browser cookie) and in what a submission updates besides the response.

Concurrency: the response row is unique per invitation, and a submission is the update
``status = 'submitted' WHERE status = 'partial'``. Two racing requests (a double click, a
retried POST) therefore store one response: the loser's insert or update matches nothing,
and it rolls back without having written anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.models import Response
from feedback.models.segments import period_of
from feedback.models.types import utcnow
from feedback.services import persist
from feedback.services.respond import answer_rows, response_sql
from feedback.services.respond.published import Published
from surveys import Role, Survey
from surveys.form import page_numbers, read_post

PROMOTER = 9
_response = Response.__table__
# Built once (see links.VISIT). A page or a submission claims the response only while it
# is still partial: the WHERE is what makes a double submission store one response.
CREATE = insert(_response).returning(_response.c.id)
_partial = (_response.c.id == bindparam("response")) & (_response.c.status == "partial")
CLAIM_PAGE = update(_response).where(_partial).values(page=bindparam("page"))
CLAIM_FINAL = (
    update(_response)
    .where(_partial)
    .values(
        page=bindparam("page"),
        status="complete",
        submitted_at=bindparam("now"),
        period=bindparam("period"),
        review_prompted=bindparam("review"),
    )
)


@dataclass
class Draft:
    """Where one respondent is: the version they answer, their response so far, if any."""

    version: Published
    locale: str
    response_id: int | None = None
    page: int = 1
    answers: dict[str, Any] = field(default_factory=dict)
    # Columns of a new response row: source, invitation, customer, segments.
    origin: dict[str, Any] = field(default_factory=dict)
    review_url: str | None = None

    def current_page(self) -> int:
        pages = page_numbers(self.version.spec, self.answers) or [1]
        return self.page if self.page in pages else pages[0]


@dataclass(frozen=True)
class Step:
    """What happened to a posted page: ``kind`` is errors, saved, submitted or already_submitted."""

    kind: str
    page: int = 1
    answers: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    response_id: int | None = None
    review_prompted: bool = False


def stored_answers(response_id: int, version: Published) -> dict[str, Any]:
    return answer_rows.read(response_id, version.layout)


def preselect(draft: Draft, score: str | None) -> dict[str, Any]:
    """The answers to show, with the score tapped in the message selected (never stored)."""
    answers = dict(draft.answers)
    spec = draft.version.spec
    if score is None or not spec.questions or draft.current_page() != spec.questions[0].page:
        return answers
    first = spec.questions[0]
    if first.key in answers or first.scale is None:
        return answers
    try:
        value = int(score)
    except ValueError:
        return answers
    if value in first.scale.points:
        answers[first.key] = value
    return answers


def save_page(
    draft: Draft, page: int, form: Mapping[str, Sequence[str]], *, back: bool = False, on_submit=None
) -> Step:
    """Store one posted page. ``on_submit(response_id, now)`` adds the caller's updates to the
    submitting transaction (the invitation's status, the customer's last answer)."""
    posted = read_post(draft.version.spec, page, form, draft.answers, back=back)
    if posted.kind == "not_shown":
        return Step("saved", page=draft.current_page(), answers=draft.answers)
    if posted.kind == "errors":
        return Step("errors", page=page, answers=posted.answers, errors=posted.errors)
    final = posted.kind == "final"
    return _store(
        draft, posted.answers, page, posted.target, final=final, on_submit=on_submit if final else None
    )


def _store(
    draft: Draft,
    answers: dict[str, Any],
    page: int,
    target: int,
    *,
    final: bool,
    on_submit=None,
) -> Step:
    spec = draft.version.spec
    now = utcnow()
    review = final and _offer_review(draft, answers)
    status = {"status": "complete", "submitted_at": now, "period": period_of(now)} if final else {}
    postgresql = persist.dialect() == "postgresql"
    # save_page passes on_submit with the final page only.
    close = on_submit is not None and draft.origin.get("invitation_id") is not None
    if not (postgresql and draft.response_id is None and (close or on_submit is None)):
        persist.atomic()  # more than one statement follows
    try:
        if draft.response_id is None and postgresql:
            rows = answer_rows.rows_for(answers, list(answers), draft.version.layout)
            response_id = response_sql.create(
                _values(draft, target, status, review, now), rows, close=close, now=now
            )
            keys, fresh = [], True
            on_submit = None if close else on_submit
        elif draft.response_id is None:
            response_id = _insert(draft, target, status, review, now)
            keys = list(answers)
            fresh = True
        else:
            response_id = draft.response_id
            params = {"response": response_id, "page": target}
            if final:
                params.update(now=now, period=status["period"], review=review)
            claimed = db.session.execute(CLAIM_FINAL if final else CLAIM_PAGE, params)
            if claimed.rowcount == 0:
                db.session.rollback()
                return Step("already_submitted", response_id=response_id)
            on_page = {k for q in spec.questions if q.page == page for k in (q.key, f"{q.key}__other")}
            keys = sorted(on_page | (set(draft.answers) - set(answers))) if final else sorted(on_page)
            fresh = False
        answer_rows.write(response_id, answers, keys, draft.version.layout, fresh=fresh)
        if on_submit is not None:
            on_submit(response_id, now)
        persist.commit()
    except IntegrityError:
        db.session.rollback()
        # Only a racing request that created this invitation's response first is expected
        # here; its response is the one that counts. Anything else is a real error and must
        # not be mistaken for a stored answer.
        raced = _status_of(draft.origin.get("invitation_id"))
        if raced is None:
            raise
        return Step("already_submitted" if raced == "complete" else "saved", page=draft.current_page())
    draft.response_id, draft.page, draft.answers = response_id, target, answers
    return Step(
        "submitted" if final else "saved",
        page=target,
        answers=answers,
        response_id=response_id,
        review_prompted=review,
    )


def _status_of(invitation_id: int | None) -> str | None:
    if invitation_id is None:
        return None
    return db.session.scalar(select(Response.status).where(Response.invitation_id == invitation_id))


def _insert(draft: Draft, page: int, status: dict[str, Any], review: bool, now: datetime) -> int:
    return db.session.execute(CREATE, _values(draft, page, status, review, now)).scalar_one()


def _values(draft: Draft, page: int, status: dict[str, Any], review: bool, now: datetime) -> dict[str, Any]:
    return {
        "survey_id": draft.version.survey_id,
        "version_id": draft.version.version_id,
        "locale": draft.locale,
        "status": "partial",
        "page": page,
        "segments": {},
        "review_prompted": review,
        "started_at": now,
        **draft.origin,
        **status,
    }


def _offer_review(draft: Draft, answers: Mapping[str, Any]) -> bool:
    """Promoters may be offered a public review link, where the company turned that on.

    Recorded on the response, because inviting only happy customers to review is a known
    bias of public ratings; the results page reports how often it happened.
    """
    return bool(draft.review_url) and promoter(draft.version.spec, answers)


def promoter(spec: Survey, answers: Mapping[str, Any]) -> bool:
    scores = [answers.get(q.key) for q in spec.questions_with_role(Role.NPS)]
    return any(isinstance(s, int) and s >= PROMOTER for s in scores)


def complete_at_once(
    spec: Survey, page: int, form: Mapping[str, Sequence[str]], *, back: bool = False
) -> dict[str, Any] | None:
    """The answers save_page would submit if ``page`` were posted on an empty draft and
    completed the response; else None."""
    posted = read_post(spec, page, form, {}, back=back)
    return posted.answers if posted.kind == "final" else None
