"""One worker run: every rule over every answered survey, then the state machine per finding."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from analysis import ewma
from feedback.extensions import db
from feedback.models import Response, Survey
from feedback.models.types import utcnow
from feedback.services.insights import groups
from feedback.services.insights.alerts import (
    rules_drift,
    rules_results,
    rules_silence,
    rules_theme,
    rules_tier,
)
from feedback.services.insights.alerts.finding import LOOKBACK_MONTHS, REGION, Evaluated, months_back
from feedback.services.insights.alerts.state import record
from feedback.services.reports import results

FAMILY_ALPHA = 0.05  # the chance, per run, that any in-control drift cell raises a false alarm


def evaluate(now: datetime | None = None) -> Evaluated:
    """Look at every answered survey and open, bump or reopen alerts."""
    now = now or utcnow()
    groups.ensure_defaults()
    result = Evaluated()
    by_slug = {g.slug: g for g in groups.all_groups()}
    management = by_slug.get("management")
    routes = groups.routes()
    since = months_back(now.year, now.month, LOOKBACK_MONTHS)
    findings, cells = [], []
    answered = select(Response.survey_id).distinct()
    for survey in db.session.scalars(select(Survey).where(Survey.id.in_(answered)).order_by(Survey.id)):
        data = results.build(survey, by=REGION)
        for found, points in (
            rules_theme.findings(survey, routes, by_slug, since),
            rules_results.scores(survey, data, management, since),
        ):
            findings += found
            result.points += points
        findings += rules_results.warnings(survey, data, management)
        findings += rules_silence.findings(survey, management, now)
        cells += rules_drift.cells(survey, routes, by_slug, management, now)
    result.cells = len(cells)
    width = ewma.width_for(len(cells), family_alpha=FAMILY_ALPHA) if cells else ewma.WIDTH
    findings += [f for cell in cells if (f := rules_drift.finding(cell, width)) is not None]
    findings += rules_tier.findings(routes, by_slug, now)
    for finding in findings:
        record(finding, now, result)
    db.session.commit()
    return result
