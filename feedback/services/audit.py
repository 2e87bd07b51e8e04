"""Writing to the audit log, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEvent, StaffUser


def record(
    action: str,
    *,
    actor: StaffUser | None = None,
    actor_type: str | None = None,
    actor_label: str | None = None,
    target: Any = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_type=actor_type or ("staff" if actor else "system"),
        actor_id=actor.id if actor else None,
        actor_label=actor_label or (actor.email if actor else None),
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def recent(limit: int = 100, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))
