"""Telling staff about cases: new assignments to their owner, escalations to the lead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Case, CaseEvent, StaffUser, StakeholderGroup
from feedback.models.types import utcnow
from feedback.services import accounts
from feedback.services.insights import groups
from feedback.services.insights.sla import aware


def notify_pending(now: datetime | None = None, sender=None) -> int:
    """E-mail each new assignment to its owner and each escalation to the group's lead (or,
    without one, to the group's members who work cases). One failed message is logged and
    tried again next run; the rest go on."""
    from flask_babel import force_locale, gettext

    from feedback.services.insights import notify

    now = now or utcnow()
    events = db.session.scalars(
        select(CaseEvent)
        .where(CaseEvent.kind.in_(("assigned", "escalated")), CaseEvent.notified_at.is_(None))
        .order_by(CaseEvent.id)
        .limit(200)
        .with_for_update(skip_locked=True)
    ).all()
    if not events:
        return 0
    sender = sender or notify.sender()
    sent = 0
    for event in events:
        case = db.session.get(Case, event.case_id)
        delivered = True
        for user in _recipients(case, event):
            with force_locale(user.locale or "en"):
                if event.kind == "assigned":
                    subject = gettext("Case %(id)s is yours", id=case.id)
                    body = gettext(
                        "You own case %(id)s (%(reason)s, priority %(priority)s). "
                        "First contact is due by %(due)s UTC.",
                        id=case.id,
                        reason=_reason_name(case.reason),
                        priority=_priority_name(case.priority),
                        due=aware(case.first_contact_due_at).strftime("%Y-%m-%d %H:%M"),
                    )
                else:
                    subject = gettext("Case %(id)s is overdue", id=case.id)
                    body = gettext(
                        "Case %(id)s has passed its %(which)s deadline and is escalated to you.",
                        id=case.id,
                        which=gettext("resolution")
                        if event.data.get("level") == 2
                        else gettext("first-contact"),
                    )
            if notify.mail(sender, user, subject, body, f"/staff/cases/{case.id}"):
                sent += 1
            else:
                delivered = False
                break
        if delivered:
            event.notified_at = now
    db.session.commit()
    return sent


def _reason_name(reason: str) -> str:
    from flask_babel import gettext

    names = {
        "detractor": gettext("detractor"),
        "severe_theme": gettext("severe complaint"),
        "contact_request": gettext("asked to be contacted"),
        "promoter_thanks": gettext("thank a promoter"),
    }
    return names.get(reason, reason.replace("_", " "))


def _priority_name(priority: str) -> str:
    from flask_babel import gettext

    return {"high": gettext("high"), "normal": gettext("normal"), "low": gettext("low")}.get(
        priority, priority
    )


def _recipients(case: Case, event: CaseEvent) -> list[StaffUser]:
    if event.kind == "assigned":
        owner = db.session.get(StaffUser, event.data.get("owner")) if event.data.get("owner") else None
        return [owner] if owner is not None and owner.is_active else []
    group = db.session.get(StakeholderGroup, case.group_id) if case.group_id else None
    if group is None:
        return []
    if group.lead_id:
        lead = db.session.get(StaffUser, group.lead_id)
        if lead is not None and lead.is_active:
            return [lead]
    return [u for u in groups.members(group) if u.is_active and accounts.can(u, "work_cases")]
