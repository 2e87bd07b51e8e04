"""PostgreSQL only: a new response, its answers and (on submission) the invitation's close
in one data-modifying statement.

Each statement is a network round trip; a one-page survey submitted through a personal link
would otherwise take four (response, answers, invitation with customer, then commit). The
statement text depends only on the number of answers and on whether the invitation closes,
so it is built once per shape.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, TextualSelect, text

from feedback.services import persist

COLUMNS = (
    "survey_id",
    "version_id",
    "invitation_id",
    "customer_id",
    "source",
    "locale",
    "status",
    "page",
    "review_prompted",
    "started_at",
    "submitted_at",
    "period",
    "tier",
    "sales_channel",
    "region",
    "category",
    "store",
)
_shapes: dict[tuple[int, bool], TextualSelect] = {}
_token_shapes: dict[int, TextualSelect] = {}
# Columns a response takes from its invitation.
ORIGIN = ("customer_id", "tier", "sales_channel", "region", "category", "store")


def _statement(answers: int, close: bool) -> TextualSelect:
    key = (answers, close)
    if key not in _shapes:
        # Only fixed column names and numbered placeholders are joined here; values are bound.
        parts = [
            "WITH r AS (INSERT INTO response ("  # noqa: S608
            + ", ".join((*COLUMNS, "segments"))
            + ") VALUES ("
            + ", ".join(f":{c}" for c in COLUMNS)
            + ", CAST(:segments AS JSONB)) RETURNING id)",
            _answers_cte(answers),
        ]
        if close:
            parts.append(
                ", i AS (UPDATE invitation SET status = 'responded', responded_at = :now "  # noqa: S608
                "WHERE id = :invitation_id RETURNING customer_id)" + _customer_cte()
            )
        parts.append(" SELECT id FROM r")
        _shapes[key] = text("".join(parts)).columns(id=BigInteger)
    return _shapes[key]


def _by_token(answers: int) -> TextualSelect:
    """A link's complete response, from the invitation its token's hash finds, if still open.

    "No response yet" is the response's unique key on invitation_id (ON CONFLICT DO NOTHING),
    not a NOT EXISTS: the conflict check always uses that index, where a NOT EXISTS is
    planned from statistics, and a plan cached while the table was small scans every
    response (seen: submit time growing with each stored response).
    """
    if answers not in _token_shapes:
        origin = ", ".join(f"inv.{c}" for c in ORIGIN)
        parts = [
            # The rules of links.visit(): not closed, not expired, this version, no response yet.
            "WITH inv AS (SELECT i.id, i.survey_id, i.locale, "
            + ", ".join(f"i.{c}" for c in ORIGIN)
            + ", COALESCE(s.review_prompt_url, '') <> '' AS reviews "
            "FROM invitation i JOIN survey s ON s.id = i.survey_id "
            "JOIN survey_version sv ON sv.id = i.version_id "
            "WHERE i.token_hash = :digest AND i.version_id = :version_id "
            "AND sv.published_at = :published_at AND i.status <> ALL(:closed) "
            "AND (i.expires_at IS NULL OR i.expires_at > :now))",
            ", r AS (INSERT INTO response (survey_id, version_id, invitation_id, source, locale, status, "  # noqa: S608
            "page, review_prompted, started_at, submitted_at, period, segments, "
            + ", ".join(ORIGIN)
            + ") SELECT inv.survey_id, :version_id, inv.id, 'invitation', "
            "CASE WHEN inv.locale = ANY(:locales) THEN inv.locale ELSE :default_locale END, "
            "'complete', :page, :promoter AND inv.reviews, :now, :now, :period, CAST('{}' AS JSONB), "
            + origin
            + " FROM inv ON CONFLICT (invitation_id) DO NOTHING"
            " RETURNING id, review_prompted, invitation_id)",
            _answers_cte(answers),
            ", i AS (UPDATE invitation SET status = 'responded', responded_at = :now "
            "FROM r WHERE invitation.id = r.invitation_id RETURNING invitation.customer_id)",
            _customer_cte(),
            " SELECT id, review_prompted FROM r",
        ]
        _token_shapes[answers] = text("".join(parts)).columns(id=BigInteger, review_prompted=Boolean)
    return _token_shapes[answers]


def _answers_cte(answers: int) -> str:
    if not answers:
        return ""
    rows = ", ".join(
        f"(CAST(:q{i} AS BIGINT), CAST(:n{i} AS DOUBLE PRECISION), CAST(:t{i} AS TEXT), CAST(:c{i} AS JSONB))"
        for i in range(answers)
    )
    return (
        ", a AS (INSERT INTO answer (response_id, question_id, number, text, choices) "  # noqa: S608
        f"SELECT r.id, v.q, v.n, v.t, v.c FROM r, (VALUES {rows}) AS v(q, n, t, c))"
    )


def _customer_cte() -> str:
    return (
        ", c AS (UPDATE customer SET last_responded_at = :now, updated_at = :now "
        "FROM i WHERE customer.id = i.customer_id)"
    )


def _answer_params(answers: list[dict[str, Any]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for i, row in enumerate(answers):
        params[f"q{i}"] = row["question_id"]
        params[f"n{i}"] = row["number"]
        params[f"t{i}"] = row["text"]
        params[f"c{i}"] = json.dumps(row["choices"]) if row["choices"] is not None else None
    return params


def create(values: dict[str, Any], answers: list[dict[str, Any]], *, close: bool, now: datetime) -> int:
    """Insert the response (``values``) with its ``answers``; ``close`` also marks the invitation
    responded and dates the customer's last answer. Returns the response id."""
    params: dict[str, Any] = {c: values.get(c) for c in COLUMNS}
    params["segments"] = json.dumps(values.get("segments") or {})
    params["now"] = now
    params.update(_answer_params(answers))
    return persist.first(_statement(len(answers), close), params)[0]


def create_by_token(params: dict[str, Any], answers: list[dict[str, Any]]) -> Any:
    """Store a link's complete response in one statement, if the invitation that ``digest``
    finds is still open for ``version_id``: (id, review_prompted), or None when it is not.

    ``params``: digest, version_id, published_at, closed (statuses), locales and
    default_locale (of the version), page, promoter (an NPS answer of 9 or 10), now, period.
    """
    return persist.first(_by_token(len(answers)), {**params, **_answer_params(answers)})
