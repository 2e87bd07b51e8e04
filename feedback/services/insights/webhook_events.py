"""What the webhooks say: case, alert and response events found since the last scan, each as
(event, key, when, payload). Payloads carry ids and facts, never who the customer is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Alert, Case, CaseEvent, Response, WebhookScan

Event = tuple[str, str, datetime, dict[str, Any]]
BATCH = 1000
# A partial response this young may still be completed; older ones count as abandoned, so one
# abandoned answer cannot hold the response scan back for ever.
ABANDONED = timedelta(days=2)


def _scan(name: str) -> WebhookScan:
    scan = db.session.get(WebhookScan, name)
    if scan is None:
        scan = WebhookScan(name=name, last_id=0)
        db.session.add(scan)
    return scan


def _envelope(event: str, ident: int, at: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {"event": event, "id": ident, "created_at": at.isoformat(), "data": data}


def _case_data(case: Case) -> dict[str, Any]:
    # Ids and facts only: who the customer is stays in Candor.
    return {
        "case_id": case.id,
        "response_id": case.response_id,
        "survey_id": case.survey_id,
        "group_id": case.group_id,
        "reason": case.reason,
        "themes": list(case.themes or []),
        "score": case.score,
        "priority": case.priority,
        "status": case.status,
        "outcome": case.outcome,
        "opened_at": case.opened_at.isoformat(),
        "due_at": case.due_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }


def case_events() -> Iterator[Event]:
    scan = _scan("case_event")
    rows = db.session.execute(
        select(CaseEvent, Case)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.id > scan.last_id, CaseEvent.kind.in_(("opened", "status")))
        .order_by(CaseEvent.id)
        .limit(BATCH)
    ).all()
    if rows:
        scan.last_id = rows[-1][0].id
    for event, case in rows:
        if event.kind == "opened":
            name = "case.opened"
        elif (event.data or {}).get("to") == "closed":
            name = "case.closed"
        else:
            continue
        yield name, f"case_event:{event.id}", event.at, _envelope(name, case.id, event.at, _case_data(case))


def alerts() -> Iterator[Event]:
    # Few alerts are open at a time, so no mark: the opening time in the key tells a reopening
    # from the opening before it.
    for alert in db.session.scalars(select(Alert).where(Alert.status == "open")):
        at = alert.status_changed_at or alert.opened_at
        data = {
            "alert_id": alert.id,
            "kind": alert.kind,
            "survey_id": alert.survey_id,
            "group_id": alert.group_id,
            "segment": alert.segment,
            "metric": alert.metric,
            "period": alert.period,
            "direction": alert.direction,
            "value": alert.value,
            "baseline": alert.baseline,
            "threshold": alert.threshold,
            "n": alert.n,
            "count": alert.count,
            "message": alert.message,
            "reopened": alert.status_changed_at is not None,
        }
        yield (
            "alert.opened",
            f"alert:{alert.id}:{at.isoformat()}",
            at,
            _envelope("alert.opened", alert.id, at, data),
        )


def responses(now: datetime) -> Iterator[Event]:
    scan = _scan("response")
    rows = db.session.execute(
        select(Response.id, Response.status, Response.started_at)
        .where(Response.id > scan.last_id)
        .order_by(Response.id)
        .limit(BATCH)
    ).all()
    holding, complete = False, []
    for ident, status, started_at in rows:
        if status != "complete":
            # The mark stops below a partial that may still be completed (rescans are harmless),
            # but only within one batch, so a busy hour cannot keep the scan in place.
            holding = holding or started_at > now - ABANDONED
        else:
            complete.append(ident)
        if not holding:
            scan.last_id = ident
    if rows and len(rows) == BATCH:
        scan.last_id = rows[-1][0]
    if not complete:
        return
    for response in db.session.scalars(
        select(Response).where(Response.id.in_(complete)).order_by(Response.id)
    ):
        at = response.submitted_at or response.started_at
        # Scores and choices only: free text can hold a name or a phone number.
        answers = {
            str(a.question_id): a.number if a.number is not None else a.choices
            for a in response.answers
            if a.number is not None or a.choices is not None
        }
        data = {
            "response_id": response.id,
            "survey_id": response.survey_id,
            "version_id": response.version_id,
            "source": response.source,
            "locale": response.locale,
            "tier": response.tier,
            "region": response.region,
            "sales_channel": response.sales_channel,
            "submitted_at": at.isoformat(),
            "answers": answers,
        }
        key = f"response:{response.id}"
        yield "response.completed", key, at, _envelope("response.completed", response.id, at, data)
