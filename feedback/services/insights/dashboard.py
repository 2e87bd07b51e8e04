"""A stakeholder group's dashboard: the survey's figures from the one results function, the
group's themes over time against control limits, and the latest comments routed to it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from analysis.control import p_chart
from feedback.extensions import db
from feedback.models import Comment, CommentTheme, StakeholderGroup, Survey
from feedback.services.insights import comments as inbox
from feedback.services.insights import groups
from feedback.services.reports import results

COLUMNS = {
    "tier": "tier",
    "channel": "sales_channel",
    "region": "region",
    "category": "category",
    "locale": "language",
}


@dataclass(frozen=True)
class GroupView:
    group: StakeholderGroup
    survey: Survey
    results: dict
    themes: dict  # {"periods": [...], "series": {code: [{period, n, k, share, lower, upper, signal}]}}
    codes: list[str] | None
    comments: list[dict]


def theme_trend(
    survey_id: int,
    codes: list[str] | None,
    start: datetime | None,
    end: datetime | None,
    where: dict[str, str],
) -> dict:
    """Each theme's share of the period's comments, month by month, on a p-chart."""
    conditions = [Comment.survey_id == survey_id]
    if start is not None:
        conditions.append(Comment.submitted_at >= start)
    if end is not None:
        conditions.append(Comment.submitted_at < end)
    for field, value in where.items():
        conditions.append(getattr(Comment, COLUMNS[field]) == value)
    totals = dict(
        db.session.execute(
            select(Comment.period, func.count()).where(*conditions).group_by(Comment.period)
        ).all()
    )
    query = (
        select(Comment.period, CommentTheme.code, func.count())
        .join(CommentTheme, CommentTheme.comment_id == Comment.id)
        .where(*conditions, CommentTheme.polarity == "complaint")
        .group_by(Comment.period, CommentTheme.code)
    )
    if codes is not None:
        query = query.where(CommentTheme.code.in_(codes))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for period, code, n in db.session.execute(query):
        counts[code][period] = n
    periods = sorted(p for p in totals if p)
    series = {}
    for code in sorted(counts):
        ks = [counts[code].get(p, 0) for p in periods]
        ns = [int(totals[p]) for p in periods]
        points = p_chart(periods, ks, ns) if sum(ns) else []
        series[code] = [
            {"period": pt.period, "n": pt.n, "k": k, **pt.to_dict()} for pt, k in zip(points, ks, strict=True)
        ]
    return {"periods": periods, "series": series, "measure": "complaints"}


def view(
    group: StakeholderGroup, survey: Survey, *, by: str | None, start, end, where: dict[str, str], viewer
) -> GroupView:
    codes = groups.themes_of(group)
    data = results.build(survey, by=by, start=start, end=end, where=where)
    trend = theme_trend(survey.id, codes, start, end, where)
    latest = inbox.page(
        inbox.Filters(
            survey=survey.id,
            group=group.slug,
            since=start,
            segments={COLUMNS[f]: v for f, v in where.items() if f != "locale"},
        ),
        viewer,
        limit=10,
    ).items
    return GroupView(group, survey, data, trend, codes, latest)
