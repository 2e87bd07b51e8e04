"""The case queue and one case: filters, deadlines passed, the case page's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import (
    Answer,
    Case,
    CaseEvent,
    Comment,
    Customer,
    Purchase,
    Question,
    Response,
    StaffUser,
    StakeholderGroup,
    Survey,
)
from feedback.models.cases import STATUSES
from feedback.models.types import utcnow
from feedback.services import accounts
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import followup
from feedback.services.insights.masking import mask
from feedback.services.insights.sla import aware

PAGE = 50


@dataclass(frozen=True)
class Filters:
    group: str | None = None
    status: str | None = None
    overdue: bool = False
    mine: bool = False


def check_filters(group: str | None, status: str | None) -> None:
    errors = []
    if status not in (None, "", "active", *STATUSES):
        errors.append(("status", f"choose one of: active, {', '.join(STATUSES)}"))
    if group and db.session.scalar(select(StakeholderGroup.id).where(StakeholderGroup.slug == group)) is None:
        errors.append(("group", f"no group {group[:40]!r}"))
    if errors:
        raise ValidationFailed(errors)


def queue(f: Filters, viewer: StaffUser | None, now: datetime | None = None, page: int = 1) -> dict[str, Any]:
    """Cases, the most urgent first: open ones by first-contact deadline, then the rest."""
    now = now or utcnow()
    check_filters(f.group, f.status)
    query = select(Case, StakeholderGroup.slug).outerjoin(
        StakeholderGroup, StakeholderGroup.id == Case.group_id
    )
    if f.group:
        query = query.where(StakeholderGroup.slug == f.group)
    if f.status == "active" or not f.status:
        query = query.where(Case.status != "closed")
    else:
        query = query.where(Case.status == f.status)
    if f.overdue:
        query = query.where(Case.status != "closed", Case.paused_at.is_(None), overdue_clause(now))
    if f.mine and viewer is not None:
        query = query.where(Case.owner_id == viewer.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Case.first_contact_due_at, Case.id).limit(PAGE).offset((max(page, 1) - 1) * PAGE)
    ).all()
    return {
        "total": total,
        "items": [_public(c, slug, now) for c, slug in rows],
        "page": page,
        "per_page": PAGE,
    }


def overdue_clause(now: datetime):
    return ((Case.first_contact_at.is_(None)) & (Case.first_contact_due_at < now)) | (Case.due_at < now)


def overdue(case: Case, now: datetime) -> bool:
    if case.status == "closed" or case.paused_at is not None:
        return False
    late_contact = case.first_contact_at is None and aware(case.first_contact_due_at) < now
    return late_contact or aware(case.due_at) < now


def _public(case: Case, slug: str | None, now: datetime) -> dict[str, Any]:
    return {
        "id": case.id,
        "response": case.response_id,
        "survey": case.survey_id,
        "group": slug,
        "owner": case.owner_id,
        "reason": case.reason,
        "themes": list(case.themes or []),
        "score": case.score,
        "priority": case.priority,
        "status": case.status,
        "outcome": case.outcome,
        "opened_at": case.opened_at,
        "first_contact_due_at": case.first_contact_due_at,
        "first_contact_at": case.first_contact_at,
        "due_at": case.due_at,
        "closed_at": case.closed_at,
        "overdue": overdue(case, now),
        "escalation_level": case.escalation_level,
        "customer_says": case.customer_says,
    }


def get(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case


def one(case_id: int, viewer: StaffUser | None, now: datetime | None = None) -> dict[str, Any]:
    """The case with its timeline and the customer's history; contact details only for roles
    that may see them (never through the API, where ``viewer`` is None)."""
    now = now or utcnow()
    case = get(case_id)
    group = db.session.get(StakeholderGroup, case.group_id) if case.group_id else None
    out = _public(case, group.slug if group else None, now)
    out["group_name"] = group.name if group else None
    contacts = viewer is not None and accounts.can(viewer, "see_contacts")
    comment = db.session.get(Comment, case.comment_id) if case.comment_id else None
    out["comment"] = None
    if comment is not None:
        out["comment"] = {
            "id": comment.id,
            "text": comment.text if contacts else mask(comment.text),
            "language": comment.language,
        }
    owner = db.session.get(StaffUser, case.owner_id) if case.owner_id else None
    out["owner_name"] = (owner.name or owner.email) if owner else None
    out["timeline"] = [
        # Staff notes may quote what the customer said, contacts included.
        {
            "at": e.at,
            "kind": e.kind,
            "text": e.text if contacts or not e.text else mask(e.text),
            "data": e.data,
            "by": by,
        }
        for e, by in db.session.execute(
            select(CaseEvent, StaffUser.email)
            .outerjoin(StaffUser, StaffUser.id == CaseEvent.user_id)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    ]
    out["customer"] = _customer(case, contacts) if viewer is not None else None
    out["survey_name"] = db.session.scalar(select(Survey.name).where(Survey.id == case.survey_id))
    out["follow_up"] = followup.of_case(case.id)
    return out


def _customer(case: Case, contacts: bool) -> dict[str, Any] | None:
    customer = db.session.get(Customer, case.customer_id) if case.customer_id else None
    if customer is None:
        return None
    out: dict[str, Any] = {"id": customer.id, "locale": customer.locale}
    if contacts:
        out.update(name=customer.name, email=customer.email, phone=customer.phone)
    out["answers"] = [
        {"response": rid, "at": at, "score": score}
        for rid, at, score in db.session.execute(
            select(Response.id, Response.submitted_at, Answer.number)
            .join(Answer, Answer.response_id == Response.id)
            .join(Question, Question.id == Answer.question_id)
            .where(Response.customer_id == customer.id, Question.role == "nps")
            .order_by(Response.submitted_at.desc())
            .limit(10)
        )
    ]
    out["purchases"] = [
        {"order": order, "at": at, "channel": channel}
        for order, at, channel in db.session.execute(
            select(Purchase.external_id, Purchase.purchased_at, Purchase.channel)
            .where(Purchase.customer_id == customer.id)
            .order_by(Purchase.purchased_at.desc())
            .limit(10)
        )
    ]
    out["cases"] = [
        {"id": cid, "opened_at": at, "status": status, "outcome": outcome}
        for cid, at, status, outcome in db.session.execute(
            select(Case.id, Case.opened_at, Case.status, Case.outcome)
            .where(Case.customer_id == customer.id, Case.id != case.id)
            .order_by(Case.opened_at.desc())
            .limit(10)
        )
    ]
    return out


def group_slug(group_id: int) -> str | None:
    group = db.session.get(StakeholderGroup, group_id)
    return group.slug if group else None


def working_staff() -> list[StaffUser]:
    """Accounts a case may be assigned to."""
    return [
        u
        for u in db.session.scalars(
            select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.email)
        )
        if accounts.can(u, "work_cases")
    ]


def first_contact_hours(case: Case) -> float | None:
    if case.first_contact_at is None:
        return None
    return (aware(case.first_contact_at) - aware(case.opened_at)) / timedelta(hours=1)
