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

from sqlalchemy import BigInteger, TextualSelect, text

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


def _statement(answers: int, close: bool) -> TextualSelect:
    key = (answers, close)
    if key not in _shapes:
        # Only fixed column names and numbered placeholders are joined here; values are bound.
        parts = [
            "WITH r AS (INSERT INTO response ("  # noqa: S608
            + ", ".join((*COLUMNS, "segments"))
            + ") VALUES ("
            + ", ".join(f":{c}" for c in COLUMNS)
            + ", CAST(:segments AS JSONB)) RETURNING id)"
        ]
        if answers:
            rows = ", ".join(
                f"(CAST(:q{i} AS BIGINT), CAST(:n{i} AS DOUBLE PRECISION), "
                f"CAST(:t{i} AS TEXT), CAST(:c{i} AS JSONB))"
                for i in range(answers)
            )
            parts.append(
                ", a AS (INSERT INTO answer (response_id, question_id, number, text, choices) "  # noqa: S608
                f"SELECT r.id, v.q, v.n, v.t, v.c FROM r, (VALUES {rows}) AS v(q, n, t, c))"
            )
        if close:
            parts.append(
                ", i AS (UPDATE invitation SET status = 'responded', responded_at = :now "
                "WHERE id = :invitation_id RETURNING customer_id)"
                ", c AS (UPDATE customer SET last_responded_at = :now, updated_at = :now "
                "FROM i WHERE customer.id = i.customer_id)"
            )
        parts.append(" SELECT id FROM r")
        _shapes[key] = text("".join(parts)).columns(id=BigInteger)
    return _shapes[key]


def create(values: dict[str, Any], answers: list[dict[str, Any]], *, close: bool, now: datetime) -> int:
    """Insert the response (``values``) with its ``answers``; ``close`` also marks the invitation
    responded and dates the customer's last answer. Returns the response id."""
    params: dict[str, Any] = {c: values.get(c) for c in COLUMNS}
    params["segments"] = json.dumps(values.get("segments") or {})
    params["now"] = now
    for i, row in enumerate(answers):
        params[f"q{i}"] = row["question_id"]
        params[f"n{i}"] = row["number"]
        params[f"t{i}"] = row["text"]
        params[f"c{i}"] = json.dumps(row["choices"]) if row["choices"] is not None else None
    return persist.first(_statement(len(answers), close), params)[0]
