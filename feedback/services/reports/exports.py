"""Raw responses for export, a page at a time (GET /api/v1/responses).

Keyset pagination on the response id: a page is one indexed range scan however deep the
export goes, and responses submitted while a client pages through are not skipped.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Answer, Customer, Question, Response, SurveyVersion
from feedback.models.segments import FIELD_COLUMNS
from feedback.services.errors import ValidationFailed

MAX_LIMIT = 1000


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"r:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix != "r" or not (number.isascii() and number.isdigit()) or int(number) >= 2**63:
            raise ValueError
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed([("cursor", "not a cursor from a previous page")]) from None


def parse_limit(raw: str | None) -> int:
    if raw in (None, ""):
        return 100
    if not (str(raw).isascii() and str(raw).isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationFailed([("limit", f"a whole number from 1 to {MAX_LIMIT}")])
    return int(raw)


def page(
    *, survey_id: int | None, since: datetime | None, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Complete responses after ``cursor`` (oldest first), and the cursor of the next page."""
    after = decode_cursor(cursor)
    query = (
        select(Response, SurveyVersion.number, Customer.external_id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .outerjoin(Customer, Customer.id == Response.customer_id)
        .where(Response.status == "complete", Response.id > after)
        .order_by(Response.id)
        .limit(limit + 1)
    )
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    if since is not None:
        query = query.where(Response.submitted_at >= since)
    rows = db.session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    answers = _answers([r[0].id for r in rows])
    items = [
        {
            "id": response.id,
            "survey": response.survey_id,
            "version": version,
            "source": response.source,
            "customer": customer,
            "invitation": response.invitation_id,
            "locale": response.locale,
            "submitted_at": response.submitted_at.isoformat(),
            "segments": {
                field: getattr(response, col) for field, col in FIELD_COLUMNS.items() if field != "locale"
            },
            "review_prompted": response.review_prompted,
            "answers": answers.get(response.id, {}),
        }
        for response, version, customer in rows
    ]
    return items, encode_cursor(rows[-1][0].id) if more and rows else None


def _answers(response_ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    if not response_ids:
        return out
    rows = db.session.execute(
        select(Answer.response_id, Question.key, Answer.number, Answer.text, Answer.choices)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(response_ids))
        .order_by(Answer.response_id, Question.position)
    )
    for response_id, key, number, text, choices in rows:
        value: Any = choices if choices is not None else (number if number is not None else text)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        entry = {"value": value}
        if choices is not None and text:
            entry["other"] = text
        out.setdefault(response_id, {})[key] = entry if "other" in entry else value
    return out
