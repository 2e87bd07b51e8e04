"""A group's settings: working hours and holidays, SLA hours per priority, its digest, its lead.

Saving validates everything first and changes nothing on any error. New working hours or SLA
hours apply to the cases opened from then on, and the deadlines of the group's cases that
are not closed are counted again from their opening under them: a first-contact deadline
while no contact is made, and the resolution deadline with the working time the case spent
waiting on the customer added back, as the clock does when a wait ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Case, CaseEvent, StaffUser, StakeholderGroup
from feedback.models.types import utcnow
from feedback.services import accounts, audit
from feedback.services.errors import ValidationFailed
from feedback.services.insights import groups, sla
from feedback.services.insights.sla import aware

FREQUENCIES = ("daily", "weekly", "monthly")
WHEN_EMPTY = ("say_so", "skip")


@dataclass(frozen=True)
class Settings:
    schedule: dict[str, Any]
    sla: dict[str, dict[str, float]]
    digest_frequency: str
    digest_when_empty: str
    lead_id: int | None


def current(group: StakeholderGroup) -> Settings:
    return Settings(
        dict(group.schedule or {}),
        {
            p: dict(zip(("first_contact", "resolve"), sla.hours_for(group.sla, p), strict=True))
            for p in sla.DEFAULT_SLA
        },
        group.digest_frequency or "weekly",
        group.digest_when_empty or "say_so",
        group.lead_id,
    )


def leads() -> list[StaffUser]:
    """Who may lead a group: active accounts that may work cases (escalations go to the lead)."""
    return [
        u
        for u in db.session.scalars(
            select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.email)
        )
        if accounts.can(u, "work_cases")
    ]


def save(slug: str, wanted: Settings, actor: StaffUser | None, now: datetime | None = None) -> int:
    """Validate and store ``wanted``; returns how many open cases had their deadlines moved."""
    now = now or utcnow()
    group = groups.by_slug(slug)
    errors: list[tuple[str, str]] = []
    schedule = None
    try:
        schedule = sla.parse_schedule(wanted.schedule)
    except ValidationFailed as exc:
        errors += exc.errors
    try:
        hours = sla.parse_sla(wanted.sla)
    except ValidationFailed as exc:
        errors += exc.errors
        hours = {}
    if wanted.digest_frequency not in FREQUENCIES:
        errors.append(("digest_frequency", f"choose one of: {', '.join(FREQUENCIES)}"))
    if wanted.digest_when_empty not in WHEN_EMPTY:
        errors.append(("digest_when_empty", f"choose one of: {', '.join(WHEN_EMPTY)}"))
    if wanted.lead_id is not None and wanted.lead_id not in {u.id for u in leads()}:
        errors.append(("lead", gettext("not an active staff account that may work cases")))
    if schedule is not None and not errors:
        longest = max(h["resolve"] for h in hours.values()) if hours else sla.MAX_HOURS
        try:
            sla.add_working(now, longest, schedule)
        except ValueError:
            errors.append(("schedule", gettext("leaves too little working time to meet the deadlines")))
    if errors:
        raise ValidationFailed(errors)
    before = current(group)
    group.schedule, group.sla = wanted.schedule, hours
    group.digest_frequency, group.digest_when_empty = wanted.digest_frequency, wanted.digest_when_empty
    group.lead_id = wanted.lead_id
    moved = 0
    if (before.schedule, before.sla) != (wanted.schedule, current(group).sla):
        moved = _recount(group, schedule)
    audit.record(
        "group.settings_changed",
        actor=actor,
        target=group,
        slug=group.slug,
        before=before.__dict__,
        after=current(group).__dict__,
        cases_moved=moved,
    )
    db.session.commit()
    return moved


def _recount(group: StakeholderGroup, schedule: sla.Schedule) -> int:
    moved = 0
    for case in db.session.scalars(
        select(Case).where(Case.group_id == group.id, Case.status != "closed").order_by(Case.id)
    ):
        first, resolve = sla.hours_for(group.sla, case.priority)
        opened = aware(case.opened_at)
        waited = _waited_hours(case.id, schedule)
        if case.first_contact_at is None:
            case.first_contact_due_at = sla.add_working(opened, first, schedule)
        case.due_at = sla.add_working(opened, min(resolve + waited, sla.MAX_HOURS), schedule)
        moved += 1
    return moved


def _waited_hours(case_id: int, schedule: sla.Schedule) -> float:
    """Working hours spent in finished waits on the customer (a wait still running moves the
    deadlines when it ends)."""
    total, began = 0.0, None
    for at, data in db.session.execute(
        select(CaseEvent.at, CaseEvent.data)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind == "status")
        .order_by(CaseEvent.at, CaseEvent.id)
    ):
        if data.get("to") == "waiting":
            began = aware(at)
        elif data.get("from") == "waiting" and began is not None:
            total += sla.working_between(began, aware(at), schedule).total_seconds() / 3600
            began = None
    return total
