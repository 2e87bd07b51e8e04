"""Closing the loop: a case for every unhappy customer, routed by theme, with deadlines.

A case opens for a detractor (NPS 0-6), for a complaint on a severe theme, and for a comment
that asks to be contacted; with ``THANK_PROMOTERS`` on, promoters get a low-priority case to
thank them. It opens in the worker run after the response is stored (once its comment is
themed), and at most once per response: the response id is unique among cases, so two
workers racing insert one. Its group comes from its complaint themes through the routing
table, and ``service`` takes a case with no routed theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import (
    Answer,
    Case,
    CaseEvent,
    CaseScan,
    Comment,
    CommentTheme,
    Customer,
    Purchase,
    Question,
    Response,
    StaffUser,
    StakeholderGroup,
    Survey,
    Theme,
    ThemeRoute,
)
from feedback.models.cases import OUTCOMES, STATUSES
from feedback.models.types import utcnow
from feedback.services import accounts, audit
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import collect, groups, sla
from feedback.services.insights.masking import mask

BATCH = 500
DEFAULT_GROUP = "service"
SCAN = "cases"
PAGE = 50


@dataclass
class Opened:
    scanned: int = 0
    opened: int = 0

    def summary(self) -> str:
        return f"{self.opened} cases opened from {self.scanned} responses"


def open_pending(now: datetime | None = None, *, upto: int | None = None) -> Opened:
    """Open the cases that responses stored since the last scan call for, up to response ``upto``."""
    now = now or utcnow()
    groups.ensure_defaults()
    mark = db.session.get(CaseScan, SCAN)
    if mark is None:
        mark = CaseScan(name=SCAN, last_response_id=0)
        db.session.add(mark)
        db.session.flush()
    result = Opened()
    thank = bool(current_app.config.get("THANK_PROMOTERS"))
    context = _Routing.load()
    while True:
        query = (
            select(Response.id, Response.survey_id, Response.customer_id)
            .where(Response.id > mark.last_response_id, Response.status == "complete")
            .order_by(Response.id)
            .limit(BATCH)
        )
        if upto is not None:
            query = query.where(Response.id <= upto)
        rows = db.session.execute(query).all()
        if not rows:
            break
        ids = [r[0] for r in rows]
        scores, comments = collect.nps_scores(ids), _comments(ids)
        for response_id, survey_id, customer_id in rows:
            result.scanned += 1
            comment = comments.get(response_id)
            plan = _plan(scores.get(response_id), comment, context, thank)
            if plan is None:
                continue
            if _insert(response_id, survey_id, customer_id, comment, plan, now, context):
                result.opened += 1
        mark.last_response_id = ids[-1]
        db.session.commit()
    db.session.commit()
    return result


@dataclass
class _Routing:
    routes: dict[str, list[int]]
    severe: set[str]
    groups: dict[int, StakeholderGroup]
    default: int | None

    @classmethod
    def load(cls) -> _Routing:
        by_id = {g.id: g for g in db.session.scalars(select(StakeholderGroup))}
        routes: dict[str, list[int]] = {}
        for code, group_id in db.session.execute(
            select(ThemeRoute.theme_code, ThemeRoute.group_id).order_by(ThemeRoute.group_id)
        ):
            routes.setdefault(code, []).append(group_id)
        # A theme heard by several groups is owned by the first of its default routes (a defect
        # is quality's to fix, product hears of it); other groups follow in the order made.
        for code, ids in routes.items():
            first = groups.DEFAULT_ROUTES.get(code, ())
            ids.sort(key=lambda i: first.index(by_id[i].slug) if by_id[i].slug in first else len(first))
        severe = set(db.session.scalars(select(Theme.code).where(Theme.severe.is_(True))))
        default = next((g.id for g in by_id.values() if g.slug == DEFAULT_GROUP), None)
        return cls(routes, severe, by_id, default)


@dataclass
class _Plan:
    reason: str
    priority: str
    score: float | None
    themes: list[str]


def _plan(score: float | None, comment: dict | None, routing: _Routing, thank: bool) -> _Plan | None:
    complaints = comment["complaints"] if comment else []
    themes = comment["themes"] if comment else []
    detractor = score is not None and score <= 6
    if detractor:
        return _Plan("detractor", "high", score, complaints or themes)
    if any(code in routing.severe for code in complaints):
        return _Plan("severe_theme", "high", score, complaints)
    if comment and engine.asks_for_contact(comment["text"], comment["language"]):
        return _Plan("contact_request", "normal", score, complaints or themes)
    if thank and score is not None and score >= 9:
        return _Plan("promoter_thanks", "low", score, themes)
    return None


def _insert(
    response_id, survey_id, customer_id, comment, plan: _Plan, now: datetime, routing: _Routing
) -> bool:
    group_id = next((routing.routes[c][0] for c in plan.themes if routing.routes.get(c)), routing.default)
    group = routing.groups.get(group_id)
    schedule = sla.schedule_of(group.schedule if group else None)
    first, resolve = sla.hours_for(group.sla if group else None, plan.priority)
    case = Case(
        response_id=response_id,
        survey_id=survey_id,
        customer_id=customer_id,
        comment_id=comment["id"] if comment else None,
        group_id=group_id,
        reason=plan.reason,
        themes=plan.themes,
        score=plan.score,
        priority=plan.priority,
        status="open",
        opened_at=now,
        first_contact_due_at=sla.add_working(now, first, schedule),
        due_at=sla.add_working(now, resolve, schedule),
        updated_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(case)
            db.session.flush()
            db.session.add(CaseEvent(case_id=case.id, at=now, kind="opened", data={"reason": plan.reason}))
            db.session.flush()
    except IntegrityError:  # another worker opened it first
        return False
    return True


def _comments(ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for cid, rid, text, language in db.session.execute(
        select(Comment.id, Comment.response_id, Comment.text, Comment.language).where(
            Comment.response_id.in_(ids)
        )
    ):
        out.setdefault(rid, {"id": cid, "text": text, "language": language, "themes": [], "complaints": []})
    if out:
        by_comment = {c["id"]: c for c in out.values()}
        for cid, code, polarity in db.session.execute(
            select(CommentTheme.comment_id, CommentTheme.code, CommentTheme.polarity)
            .where(CommentTheme.comment_id.in_(list(by_comment)))
            .order_by(CommentTheme.comment_id, CommentTheme.id)
        ):
            by_comment[cid]["themes"].append(code)
            if polarity == "complaint":
                by_comment[cid]["complaints"].append(code)
    return out


# -- the queue and one case ---------------------------------------------------------------


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
        query = query.where(Case.status != "closed", Case.paused_at.is_(None), _overdue_clause(now))
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


def _overdue_clause(now: datetime):
    return ((Case.first_contact_at.is_(None)) & (Case.first_contact_due_at < now)) | (Case.due_at < now)


def overdue(case: Case, now: datetime) -> bool:
    if case.status == "closed" or case.paused_at is not None:
        return False
    late_contact = case.first_contact_at is None and _aware(case.first_contact_due_at) < now
    return late_contact or _aware(case.due_at) < now


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
        {"at": e.at, "kind": e.kind, "text": e.text, "data": e.data, "by": by}
        for e, by in db.session.execute(
            select(CaseEvent, StaffUser.email)
            .outerjoin(StaffUser, StaffUser.id == CaseEvent.user_id)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    ]
    out["customer"] = _customer(case, contacts) if viewer is not None else None
    out["survey_name"] = db.session.scalar(select(Survey.name).where(Survey.id == case.survey_id))
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


# -- working a case -----------------------------------------------------------------------


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
        errors.append(("status", f"choose one of: {', '.join(STATUSES)}"))
    if outcome is not None and outcome not in OUTCOMES:
        errors.append(("outcome", f"choose one of: {', '.join(OUTCOMES)}"))
    if status == "closed" and outcome is None:
        errors.append(("outcome", "a closed case needs an outcome: resolved, unresolved or no_contact"))
    if outcome is not None and status != "closed" and case.status != "closed":
        errors.append(("outcome", "an outcome is given when the case is closed"))
    if note is not None and (not note.strip() or len(note) > 4000):
        errors.append(("note", "write a note of 1 to 4,000 characters"))
    new_owner = None
    if owner is not None:
        new_owner = db.session.get(StaffUser, owner)
        if new_owner is None or not new_owner.is_active or not accounts.can(new_owner, "work_cases"):
            errors.append(("owner", "not an active staff account that may work cases"))
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
        paused = sla.working_between(_aware(case.paused_at), now, schedule).total_seconds() / 3600
        if case.first_contact_at is None:
            case.first_contact_due_at = sla.add_working(_aware(case.first_contact_due_at), paused, schedule)
        case.due_at = sla.add_working(_aware(case.due_at), paused, schedule)
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
            Case.status != "closed", Case.paused_at.is_(None), Case.escalation_level < 2, _overdue_clause(now)
        )
        .order_by(Case.id)
        .with_for_update(skip_locked=True)
    ).all()
    for case in rows:
        level = 2 if _aware(case.due_at) < now else 1
        if level <= case.escalation_level:
            continue
        case.escalation_level = level
        _event(case, now, None, "escalated", data={"level": level})
        raised.append((case, level))
    db.session.commit()
    return raised


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
    return (_aware(case.first_contact_at) - _aware(case.opened_at)) / timedelta(hours=1)


# -- telling people -----------------------------------------------------------------------


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
                        reason=case.reason.replace("_", " "),
                        priority=case.priority,
                        due=_aware(case.first_contact_due_at).strftime("%Y-%m-%d %H:%M"),
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
