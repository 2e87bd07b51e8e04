"""Reading and acting on alerts: the list, a group's alerts, one alert, a status change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Alert, StaffUser, StakeholderGroup
from feedback.models.cases import ALERT_STATES
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights.alerts.messages import Localized

PAGE = 100


def listing(
    status: str | None, group: str | None, page: int = 1, *, localized: bool = False
) -> dict[str, Any]:
    """A page of alerts; ``localized`` renders messages in the current locale (pages), else
    English (the API)."""
    errors = []
    if status not in (None, "", *ALERT_STATES):
        errors.append(("status", f"choose one of: {', '.join(ALERT_STATES)}"))
    group_id = None
    if group:
        found = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.slug == group))
        if found is None:
            errors.append(("group", f"no group {group[:40]!r}"))
        else:
            group_id = found.id
    if errors:
        raise ValidationFailed(errors)
    query = select(Alert, StakeholderGroup.slug).outerjoin(
        StakeholderGroup, StakeholderGroup.id == Alert.group_id
    )
    if status:
        query = query.where(Alert.status == status)
    if group_id is not None:
        query = query.where(Alert.group_id == group_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Alert.last_seen_at.desc(), Alert.id.desc())
        .limit(PAGE)
        .offset((max(page, 1) - 1) * PAGE)
    ).all()
    items = [public(a, slug, localized=localized) for a, slug in rows]
    return {"total": total, "items": items, "page": page, "per_page": PAGE}


def for_group(group: StakeholderGroup) -> list[dict[str, Any]]:
    """The group's alerts that are not resolved, newest first (management: everyone's), with
    messages in the locale they are shown in (a page's or a digest's)."""
    query = select(Alert, StakeholderGroup.slug).outerjoin(
        StakeholderGroup, StakeholderGroup.id == Alert.group_id
    )
    query = query.where(Alert.status != "resolved")
    if not group.sees_everything:
        query = query.where(Alert.group_id == group.id)
    rows = db.session.execute(query.order_by(Alert.last_seen_at.desc(), Alert.id.desc()).limit(20)).all()
    return [public(a, slug, localized=True) for a, slug in rows]


def public(alert: Alert, slug: str | None, *, localized: bool = False) -> dict[str, Any]:
    message = Localized(alert.template, alert.params or {}, alert.message) if localized else alert.message
    return {
        "id": alert.id,
        "kind": alert.kind,
        "group": slug,
        "segment": alert.segment,
        "metric": alert.metric,
        "period": alert.period,
        "message": message,
        "value": alert.value,
        "baseline": alert.baseline,
        "limit": alert.threshold,
        "n": alert.n,
        "opened_at": alert.opened_at,
        "last_seen_at": alert.last_seen_at,
        "status": alert.status,
        "count": alert.count,
    }


def get(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def set_status(alert_id: int, status: str, actor: StaffUser | None, now: datetime | None = None) -> Alert:
    if status not in ALERT_STATES:
        raise ValidationFailed([("status", f"choose one of: {', '.join(ALERT_STATES)}")])
    alert = get(alert_id)
    now = now or utcnow()
    if status != alert.status:
        alert.status, alert.status_changed_at = status, now
        if status == "acknowledged":
            alert.acknowledged_value = alert.value
        audit.record("alert." + status, actor=actor, actor_type=None if actor else "api", target=alert)
    db.session.commit()
    return alert
