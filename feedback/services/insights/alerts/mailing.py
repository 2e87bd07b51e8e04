"""E-mailing new and reopened alerts to their group, each member in their own language."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Alert, StaffUser, StakeholderGroup
from feedback.models.types import utcnow
from feedback.services.insights import groups, notify
from feedback.services.insights.alerts.messages import render


def notify_open(now: datetime | None = None, sender=None) -> int:
    """E-mail each newly opened or reopened alert to its group's members."""
    alerts = db.session.scalars(
        select(Alert).where(Alert.status == "open", Alert.notified_at.is_(None)).order_by(Alert.id).limit(200)
    ).all()
    if not alerts:
        return 0
    now = now or utcnow()
    owners = {a.group_id: db.session.get(StakeholderGroup, a.group_id) for a in alerts if a.group_id}

    def recipients(alert: Alert) -> list[StaffUser]:
        group = owners.get(alert.group_id)
        return [u for u in groups.members(group) if u.is_active] if group else []

    def compose(alert: Alert, user: StaffUser) -> tuple[str, str]:
        subject = gettext(
            "Alert for %(group)s: %(what)s",
            group=owners[alert.group_id].name,
            what=alert.metric.replace("_", " "),
        )
        return subject, render(alert.template, alert.params or {}, alert.message)

    def delivered(alert: Alert) -> None:
        alert.notified_at = now

    sent = notify.deliver(
        alerts,
        recipients=recipients,
        compose=compose,
        path=lambda a: f"/staff/alerts#alert-{a.id}",
        delivered=delivered,
        transport=sender,
    )
    db.session.commit()
    return sent
