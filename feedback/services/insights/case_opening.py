"""Opening cases: a case for every unhappy customer, routed by theme, with deadlines.

A case opens for a detractor (NPS 0-6), for a complaint on a severe theme, and for a comment
that asks to be contacted; with ``THANK_PROMOTERS`` on, promoters get a low-priority case to
thank them. It opens in the worker run after the response is stored (once its comment is
themed), and at most once per response: the response id is unique among cases, so two
workers racing insert one. Its group comes from its complaint themes through the routing
table, and ``service`` takes a case with no routed theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import (
    Case,
    CaseEvent,
    CaseScan,
    Comment,
    CommentTheme,
    Response,
    StakeholderGroup,
    Theme,
    ThemeRoute,
)
from feedback.models.types import utcnow
from feedback.services.insights import collect, groups, sla

BATCH = 500
DEFAULT_GROUP = "service"
SCAN = "cases"


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
