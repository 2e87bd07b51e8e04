"""Working a case: owner, status and outcome, notes, paused clocks, escalation."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Case, CaseEvent, StaffUser, StakeholderGroup
from feedback.models.cases import OUTCOMES, STATUSES
from feedback.models.types import utcnow
from feedback.services import accounts, audit
from feedback.services.errors import ValidationFailed
from feedback.services.insights import sla
from feedback.services.insights.case_queue import get, overdue_clause
from feedback.services.insights.sla import aware

# Lines and tabs are a note's own; NUL, other C0/C1 controls and lone surrogates are not.
NOTE_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def update(
    case_id: int,
    actor: StaffUser | None,
    *,
    status: str | None = None,
    outcome: str | None = None,
    note: str | None = None,
    owner: int | None = None,
    contacted: bool = False,
    now: datetime | None = None,
) -> Case:
    """Change a case: owner, status (closing needs an outcome), a note, first contact made."""
    now = now or utcnow()
    case = get(case_id)
    errors = []
    if status is not None and status not in STATUSES:
        errors.append(("status", gettext("choose one of: %(choices)s", choices=", ".join(STATUSES))))
    if outcome is not None and outcome not in OUTCOMES:
        errors.append(("outcome", gettext("choose one of: %(choices)s", choices=", ".join(OUTCOMES))))
    if status == "closed" and outcome is None:
        errors.append(
            ("outcome", gettext("a closed case needs an outcome: resolved, unresolved or no_contact"))
        )
    if outcome is not None and status != "closed" and case.status != "closed":
        errors.append(("outcome", gettext("an outcome is given when the case is closed")))
    if note is not None and (not note.strip() or len(note) > 4000):
        errors.append(("note", gettext("write a note of 1 to 4,000 characters")))
    elif note is not None and NOTE_UNSAFE.search(note):
        errors.append(("note", gettext("a note holds text, lines and tabs, not control characters")))
    new_owner = None
    if owner is not None:
        new_owner = db.session.get(StaffUser, owner)
        if new_owner is None or not new_owner.is_active or not accounts.can(new_owner, "work_cases"):
            errors.append(("owner", gettext("not an active staff account that may work cases")))
    if errors:
        raise ValidationFailed(errors)
    who = actor.id if actor else None
    if (
        new_owner is None
        and case.owner_id is None
        and actor is not None
        and accounts.can(actor, "work_cases")
    ):
        new_owner = actor  # whoever first works an unowned case owns it
    if new_owner is not None and new_owner.id != case.owner_id:
        case.owner_id = new_owner.id
        event = _event(case, now, who, "assigned", data={"owner": new_owner.id, "email": new_owner.email})
        if new_owner.id == who:
            event.notified_at = now  # nobody needs an e-mail about what they did themselves
    if contacted and case.first_contact_at is None:
        case.first_contact_at = now
        _event(case, now, who, "contacted")
    if status is not None and status != case.status:
        _move(case, status, outcome, now, who)
    if note is not None:
        _event(case, now, who, "note", text=note.strip())
    case.updated_at = now
    audit.record(
        "case.updated", actor=actor, actor_type=None if actor else "api", target=case, status=case.status
    )
    db.session.commit()
    return case


def _move(case: Case, status: str, outcome: str | None, now: datetime, who: int | None) -> None:
    group = db.session.get(StakeholderGroup, case.group_id) if case.group_id else None
    schedule = sla.schedule_of(group.schedule if group else None)
    if case.paused_at is not None:  # the clock restarts: the deadlines move by the paused time
        paused = sla.working_between(aware(case.paused_at), now, schedule).total_seconds() / 3600
        if case.first_contact_at is None:
            case.first_contact_due_at = sla.add_working(aware(case.first_contact_due_at), paused, schedule)
        case.due_at = sla.add_working(aware(case.due_at), paused, schedule)
        case.paused_at = None
    if status == "waiting":
        case.paused_at = now
    if status in ("in_progress", "waiting") and case.first_contact_at is None:
        case.first_contact_at = now
    if status == "closed":
        case.closed_at, case.outcome = now, outcome
        if case.first_contact_at is None and outcome != "no_contact":
            case.first_contact_at = now
    elif case.status == "closed":  # reopened
        case.closed_at, case.outcome = None, None
    _event(case, now, who, "status", data={"from": case.status, "to": status, "outcome": outcome})
    case.status = status


def _event(
    case: Case, now: datetime, who: int | None, kind: str, text: str = "", data: dict | None = None
) -> CaseEvent:
    event = CaseEvent(case_id=case.id, at=now, user_id=who, kind=kind, text=text, data=data or {})
    db.session.add(event)
    return event


def escalate_overdue(now: datetime | None = None) -> list[tuple[Case, int]]:
    """Raise each overdue case one level, at most once per level: level 1 when first contact
    is late, level 2 when resolution is late. Returns the cases raised with their new level."""
    now = now or utcnow()
    raised = []
    rows = db.session.scalars(
        select(Case)
        .where(
            Case.status != "closed", Case.paused_at.is_(None), Case.escalation_level < 2, overdue_clause(now)
        )
        .order_by(Case.id)
        .with_for_update(skip_locked=True)
    ).all()
    for case in rows:
        level = 2 if aware(case.due_at) < now else 1
        if level <= case.escalation_level:
            continue
        case.escalation_level = level
        _event(case, now, None, "escalated", data={"level": level})
        raised.append((case, level))
    db.session.commit()
    return raised
