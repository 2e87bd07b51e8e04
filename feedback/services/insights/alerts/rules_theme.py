"""A theme's share of a region's comments above its p-chart limit, in a month that matters."""

from __future__ import annotations

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Comment, CommentTheme, Response, Survey
from feedback.services.insights import dashboard
from feedback.services.insights.alerts import drivers, messages
from feedback.services.insights.alerts.finding import REGION, Finding
from feedback.services.insights.alerts.messages import N_

MIN_COMMENTS = 20
MIN_COMPLAINTS = 5
MIN_RISE = 10.0  # percentage points
MESSAGE = N_(
    "%(theme)s complaints in %(segment)s rose to %(value)s%% of comments in %(period)s (%(k)s of n = %(n)s), "
    "above the 3-sigma limit of %(limit)s%%; the usual share is %(centre)s%%."
)


def regions(survey_id: int) -> list[str]:
    return [
        r
        for r in db.session.scalars(
            select(Response.region)
            .where(Response.survey_id == survey_id, Response.region.is_not(None))
            .distinct()
        )
        if r
    ]


def findings(survey: Survey, routes: dict, by_slug: dict, since: str) -> tuple[list[Finding], int]:
    """The findings, and how many (region, theme, month) points were tested."""
    out, tested = [], 0
    for region in regions(survey.id):
        trend = dashboard.theme_trend(survey.id, list(routes), None, None, {REGION: region})
        for code, points in trend["series"].items():
            owners = [by_slug[s] for s in routes.get(code, []) if s in by_slug]
            recent = [p for p in points if p["period"] >= since]
            tested += len(recent)
            for p in recent:
                if p.get("signal") != "above" or not matters(p) or not owners:
                    continue
                out.append(_finding(survey, owners[0], region, code, p, since))
    return out, tested


def matters(p: dict) -> bool:
    """Beyond the limit is not enough with few comments: the month needs MIN_COMMENTS comments,
    MIN_COMPLAINTS of them on the theme, and a share at least MIN_RISE points above the usual
    one and at least twice it."""
    return (
        p["n"] >= MIN_COMMENTS
        and p["k"] >= MIN_COMPLAINTS
        and p["value"] >= p["centre"] + MIN_RISE
        and p["value"] >= 2 * p["centre"]
    )


def _finding(survey: Survey, group, region: str, code: str, p: dict, since: str) -> Finding:
    params = {
        "theme": messages.theme(code),
        "segment": region,
        "value": f"{p['value']:.0f}",
        "period": p["period"],
        "k": p["k"],
        "n": p["n"],
        "limit": f"{p['upper']:.0f}",
        "centre": f"{p['centre']:.0f}",
    }
    behind = (
        select(Comment.response_id)
        .join(CommentTheme, CommentTheme.comment_id == Comment.id)
        .where(
            Comment.survey_id == survey.id,
            Comment.region == region,
            Comment.period == p["period"],
            CommentTheme.code == code,
            CommentTheme.polarity == "complaint",
        )
    )
    usual = [Response.survey_id == survey.id, Response.region == region, Response.period >= since]
    if then := drivers.line(behind, usual, region):
        params["then"] = then
    return Finding(
        key=f"theme_share:{group.slug}:{REGION}={region}:{code}",
        kind="theme_share",
        group_id=group.id,
        survey_id=survey.id,
        segment=f"{REGION}={region}",
        metric=code,
        period=p["period"],
        direction="above",
        value=p["value"],
        baseline=p["centre"],
        threshold=p["upper"],
        n=p["n"],
        template=MESSAGE,
        params=params,
    )
