"""Alerts from the one results function, built once per survey by region: NPS or CSAT in a
region outside its control limits, and a Simpson reversal; plus a gamed store, tested on the
store breakdown's counts alone (a second full results build is not needed for it)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from flask import current_app
from sqlalchemy import select

from analysis.gaming import suspicious_segments
from feedback.models import Answer, Response, Survey
from feedback.services.insights.alerts import drivers
from feedback.services.insights.alerts.finding import REGION, Finding
from feedback.services.insights.alerts.messages import N_, word
from feedback.services.reports import aggregates, results

SCORE = N_(
    "%(metric)s in %(segment)s was %(value)s in %(period)s (n = %(n)s), %(side)s its control limit "
    "of %(limit)s; the usual level is %(centre)s."
)
GAMING = N_(
    "%(metric)s at store %(store)s looks too good: %(share)s%% of its %(n)s answers are the top score, "
    "against %(rest)s%% elsewhere (Holm-adjusted p = %(p)s). Check how its surveys are handed out "
    "before trusting it."
)
SIMPSON = N_(
    "The overall NPS moved %(crude)s between the two halves of the period (n = %(n)s), but "
    "%(adjusted)s like for like with the %(field)s mix held fixed; both changes are beyond noise, so "
    "read the overall figure next to the like-for-like one."
)


def _points(metric: str, x: float) -> str:
    return f"{x:+.0f}" if metric == "nps" else f"{x:.0f}%"


def scores(survey: Survey, data: dict, management, since: str) -> tuple[list[Finding], int]:
    """Region-months outside their limits, and how many region-months were tested."""
    group_id = management.id if management else None
    tested = sum(
        1
        for r in data.get("segment_periods", [])
        if r.get("period", "") >= since and not r.get("suppressed") and r.get("segment")
    )
    out = []
    for a in data.get("alerts", []):
        if a.get("by") != REGION or a.get("period", "") < since or not a.get("segment"):
            continue
        below = a.get("signal") == "below"
        limit = a["lower"] if below else a["upper"]
        metric = a["metric"]
        params = {
            "metric": metric.upper(),
            "segment": a["segment"],
            "value": _points(metric, a["value"]),
            "period": a["period"],
            "n": a.get("n", 0),
            "side": word(N_("below")) if below else word(N_("above")),
            "limit": _points(metric, limit),
            "centre": _points(metric, a.get("centre", 0)),
        }
        if metric == "nps" and below and (then := _detractors(survey, a["segment"], a["period"], since)):
            params["then"] = then
        out.append(
            Finding(
                key=f"score:management:{REGION}={a['segment']}:{metric}",
                kind="score",
                group_id=group_id,
                survey_id=survey.id,
                segment=f"{REGION}={a['segment']}",
                metric=metric,
                period=a["period"],
                direction=a["signal"],
                value=a["value"],
                baseline=a.get("centre"),
                threshold=limit,
                n=int(a.get("n", 0)),
                template=SCORE,
                params=params,
            )
        )
    return out, tested


def _detractors(survey: Survey, region: str, period: str, since: str):
    qids = aggregates.question_ids(survey.id, role="nps")
    behind = (
        select(Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(qids),
            Answer.number <= 6,
            Response.survey_id == survey.id,
            Response.status == "complete",
            Response.region == region,
            Response.period == period,
        )
    )
    usual = [Response.survey_id == survey.id, Response.region == region, Response.period >= since]
    return drivers.line(behind, usual, region)


def warnings(survey: Survey, data: dict, management) -> list[Finding]:
    group_id = management.id if management else None
    out = []
    for w in data.get("warnings", []):
        if w.get("code") != "simpson_reversal":
            continue
        params = {
            "crude": f"{w['crude_change']:+.1f}",
            "adjusted": f"{w['adjusted_change']:+.1f}",
            "field": w.get("by", ""),
            "n": sum(int(s.get("n", 0)) for s in w.get("strata", [])),
        }
        out.append(
            _plain("simpson", "", w.get("metric", "nps"), survey, group_id, params["n"], SIMPSON, params)
        )
    for metric, suspect in gamed_stores(survey):
        params = {
            "metric": metric.upper(),
            "store": str(suspect.segment),
            "share": f"{100 * suspect.top_share:.0f}",
            "n": suspect.n,
            "rest": f"{100 * suspect.rest_top_share:.0f}",
            "p": f"{suspect.p_adjusted:.2g}",
        }
        out.append(
            _plain("gaming", str(suspect.segment), metric, survey, group_id, suspect.n, GAMING, params)
        )
    return out


def gamed_stores(survey: Survey) -> list[tuple[str, object]]:
    """The results' gaming test on the store breakdown: each store's NPS and CSAT answers
    against all other stores pooled (analysis.gaming)."""
    min_n = int(current_app.config["MIN_SEGMENT_N"])
    out = []
    for spec in results.metric_specs(survey.id):
        if spec.name not in ("nps", "csat"):
            continue
        qids = aggregates.question_ids(survey.id, role=spec.role)
        counts = aggregates.score_counts(
            survey.id, qids, spec.low, spec.high, aggregates.Window(), by="store"
        )
        width = spec.high - spec.low + 1
        by_store: dict[str, np.ndarray] = defaultdict(lambda w=width: np.zeros(w, dtype=np.int64))
        for (store, _), c in counts.items():
            by_store[store] += c
        peers = {k: list(v) for k, v in by_store.items() if k != aggregates.NO_SEGMENT}
        out += [(spec.name, s) for s in suspicious_segments(peers, min_n=min_n)]
    return out


def _plain(kind, segment, metric, survey, group_id, n, template, params) -> Finding:
    return Finding(
        key=f"{kind}:management:{segment}:{metric}",
        kind=kind,
        group_id=group_id,
        survey_id=survey.id,
        segment=segment,
        metric=str(metric),
        period="",
        direction="",
        value=None,
        baseline=None,
        threshold=None,
        n=int(n),
        template=template,
        params=params,
    )
