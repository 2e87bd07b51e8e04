"""Slow drifts: weekly NPS and weekly theme shares per region on an EWMA chart.

Each cell (survey x region x metric, with the group it goes to) takes its centre and sigma
from the BASELINE_WEEKS before the WATCHED_WEEKS and charts the watched weeks (analysis.ewma).
A week with fewer than MIN_WEEK_N answers or comments is gated out. A drift alert opens when
the latest week's EWMA is beyond its limit on the bad side (NPS down, a complaint share up)
by at least MIN_DRIFT, and no watched week crossed its own 3-sigma limit: a jump is the
Shewhart rules' to report, a slide is this one's. The limit width L is widened over the
run's cells by `analysis.ewma.width_for` (see docs/insights.md, "False alarms").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select

from analysis import ewma
from feedback.models import Answer, Comment, CommentTheme, Response, Survey
from feedback.services.insights.alerts import drivers, messages, weekly
from feedback.services.insights.alerts.finding import REGION, Finding
from feedback.services.insights.alerts.messages import N_
from feedback.services.reports import aggregates

MIN_WEEK_N = 10
MIN_BASELINE_N = 100
MIN_BASELINE_COMPLAINTS = 5
MIN_DRIFT = {"nps": 5.0, "theme": 3.0}  # points of NPS, percentage points of share
NPS_MESSAGE = N_(
    "Weekly NPS in %(segment)s has drifted down: its EWMA reached %(value)s in the week of %(week)s "
    "against a baseline of %(centre)s (n = %(n)s over the last %(weeks)s weeks), below its EWMA limit "
    "of %(limit)s, though no single week crossed its 3-sigma limit."
)
THEME_MESSAGE = N_(
    "%(theme)s complaints in %(segment)s have crept up: their EWMA share reached %(value)s%% in the "
    "week of %(week)s against a baseline of %(centre)s%% (n = %(n)s comments over the last %(weeks)s "
    "weeks), above the EWMA limit of %(limit)s%%, though no single week crossed its 3-sigma limit."
)


@dataclass
class Cell:
    survey: Survey
    group: object
    region: str
    metric: str  # "nps" or a theme code
    centre: float
    sigma: float
    values: list[float]
    ns: list[int]
    weeks: list[datetime]
    behind: object  # a select of the response ids behind a drift, for the driver line
    usual: list

    @property
    def direction(self) -> str:
        return "below" if self.metric == "nps" else "above"


def cells(survey: Survey, routes: dict, by_slug: dict, management, now: datetime) -> list[Cell]:
    bounds = weekly.edges(now)
    cut = weekly.BASELINE_WEEKS
    watched = bounds[cut:-1]
    out = []
    if management is not None:
        for region, counts in weekly.nps(survey.id, bounds).items():
            base = counts[:cut].sum(axis=0)
            n_base = int(base.sum())
            if n_base < MIN_BASELINE_N:
                continue
            pro, det = base[9:].sum() / n_base, base[:7].sum() / n_base
            sigma = 100 * math.sqrt(max(pro + det - (pro - det) ** 2, 0.0))
            recent = counts[cut:]
            ns = recent.sum(axis=1)
            values = [
                100 * (c[9:].sum() - c[:7].sum()) / n if n else 0.0 for c, n in zip(recent, ns, strict=True)
            ]
            if sigma > 0:
                out.append(
                    Cell(
                        survey,
                        management,
                        region,
                        "nps",
                        100 * (pro - det),
                        sigma,
                        values,
                        ns.tolist(),
                        watched,
                        _detractors(survey, region, bounds[cut], bounds[-1]),
                        _usual(survey, region, bounds),
                    )
                )
    totals, complaints = weekly.themes(survey.id, bounds)
    for (region, code), ks in sorted(complaints.items()):
        owners = [by_slug[s] for s in routes.get(code, []) if s in by_slug]
        ns = totals.get(region, np.zeros_like(ks))
        k_base, n_base = int(ks[:cut].sum()), int(ns[:cut].sum())
        if not owners or n_base < MIN_BASELINE_N or k_base < MIN_BASELINE_COMPLAINTS:
            continue
        p = k_base / n_base
        recent_n = ns[cut:]
        values = [100 * k / n if n else 0.0 for k, n in zip(ks[cut:], recent_n, strict=True)]
        out.append(
            Cell(
                survey,
                owners[0],
                region,
                code,
                100 * p,
                100 * math.sqrt(p * (1 - p)),
                values,
                recent_n.tolist(),
                watched,
                _complaints(survey, region, code, bounds[cut], bounds[-1]),
                _usual(survey, region, bounds),
            )
        )
    return out


def finding(cell: Cell, width: float) -> Finding | None:
    labels = [w.strftime("%Y-%m-%d") for w in cell.weeks]
    chart = ewma.chart(
        cell.values,
        cell.ns,
        centre=cell.centre,
        sigma=cell.sigma,
        width=width,
        min_n=MIN_WEEK_N,
        labels=labels,
    )
    latest = chart.latest
    floor = MIN_DRIFT["nps" if cell.metric == "nps" else "theme"]
    if latest is None or not chart.drift(cell.direction) or abs(latest.ewma - cell.centre) < floor:
        return None
    limit = latest.lower if cell.direction == "below" else latest.upper
    n = sum(p.n for p in chart.used)
    if cell.metric == "nps":
        template = NPS_MESSAGE
        params = {"value": f"{latest.ewma:+.0f}", "centre": f"{cell.centre:+.0f}", "limit": f"{limit:+.0f}"}
    else:
        template = THEME_MESSAGE
        params = {
            "theme": messages.theme(cell.metric),
            "value": f"{latest.ewma:.0f}",
            "centre": f"{cell.centre:.0f}",
            "limit": f"{limit:.0f}",
        }
    params |= {"segment": cell.region, "week": latest.label, "n": n, "weeks": len(chart.used)}
    if then := drivers.line(cell.behind, cell.usual, cell.region):
        params["then"] = then
    return Finding(
        key=f"drift:{cell.group.slug}:{REGION}={cell.region}:{cell.metric}",
        kind="drift",
        group_id=cell.group.id,
        survey_id=cell.survey.id,
        segment=f"{REGION}={cell.region}",
        metric=cell.metric,
        period=latest.label,
        direction=cell.direction,
        value=round(latest.ewma, 3),
        baseline=round(cell.centre, 3),
        threshold=round(limit, 3),
        n=n,
        template=template,
        params=params,
    )


def _usual(survey: Survey, region: str, bounds: list[datetime]) -> list:
    return [
        Response.survey_id == survey.id,
        Response.region == region,
        Response.submitted_at >= bounds[0],
        Response.submitted_at < bounds[weekly.BASELINE_WEEKS],
    ]


def _detractors(survey: Survey, region: str, start: datetime, end: datetime):
    return (
        select(Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(aggregates.question_ids(survey.id, role="nps")),
            Answer.number <= 6,
            Response.survey_id == survey.id,
            Response.status == "complete",
            Response.region == region,
            Response.submitted_at >= start,
            Response.submitted_at < end,
        )
    )


def _complaints(survey: Survey, region: str, code: str, start: datetime, end: datetime):
    return (
        select(Comment.response_id)
        .join(CommentTheme, CommentTheme.comment_id == Comment.id)
        .where(
            Comment.survey_id == survey.id,
            Comment.region == region,
            CommentTheme.code == code,
            CommentTheme.polarity == "complaint",
            Comment.submitted_at >= start,
            Comment.submitted_at < end,
        )
    )
