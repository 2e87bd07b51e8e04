"""A theme's share of a region's comments above its p-chart limit, in a month that matters."""

from __future__ import annotations

from scipy.stats import binom, norm
from sqlalchemy import select

from analysis.multiple import correct
from feedback.extensions import db
from feedback.models import Comment, CommentTheme, Response, Survey
from feedback.services.insights import dashboard
from feedback.services.insights.alerts import drivers, messages
from feedback.services.insights.alerts.finding import REGION, Finding
from feedback.services.insights.alerts.messages import N_

MIN_COMMENTS = 20
MIN_COMPLAINTS = 5
MIN_RISE = 10.0  # percentage points
# Each month is read as one report of every (region, theme) cell, some 35 on a demo-sized
# company: a point beyond its 3-sigma limit must also pass Benjamini-Hochberg at this false
# discovery rate among its month's cells.
FDR = 0.05
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
    tested: dict[str, list[float]] = {}
    candidates: list[tuple[int, str, str, dict, list]] = []
    for region in regions(survey.id):
        trend = dashboard.theme_trend(survey.id, list(routes), None, None, {REGION: region})
        for code, points in trend["series"].items():
            owners = [by_slug[s] for s in routes.get(code, []) if s in by_slug]
            for p in (p for p in points if p["period"] >= since):
                month = tested.setdefault(p["period"], [])
                if p.get("signal") == "above" and matters(p) and owners:
                    candidates.append((len(month), region, code, p, owners))
                month.append(upper_p(p))
    kept = {period: screen(ps) for period, ps in tested.items()} if candidates else {}
    out = [
        _finding(survey, owners[0], region, code, p, since)
        for i, region, code, p, owners in candidates
        if kept[p["period"]][i]
    ]
    return out, sum(len(ps) for ps in tested.values())


def screen(p_values: list[float]) -> list[bool]:
    """Which of one month's cells pass Benjamini-Hochberg at FDR."""
    return [bool(k) for k in correct(p_values, method="fdr_bh", alpha=FDR)[0]]


def upper_p(point: dict) -> float:
    """One-sided p-value of a point against its chart, the larger of two readings: the exact
    binomial chance of k or more of n at the centre's share (the normal reading is far too
    small when few complaints are expected, 0.4 of 22 comments at 2%), and its distance above
    the centre in the chart's own sigma, Laney's when the months vary more than their n allow."""
    sigma = (point["upper"] - point["centre"]) / 3
    if sigma <= 0:
        return 1.0
    charted = float(norm.sf((point["value"] - point["centre"]) / sigma))
    exact = float(binom.sf(point["k"] - 1, point["n"], min(max(point["centre"] / 100, 0.0), 1.0)))
    return max(charted, exact)


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
