"""Reports: SQL computes counts per score and group; analysis turns counts into estimates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

import analysis
from analysis import figures
from feedback.extensions import db
from feedback.models import Answer, Question, Response, Survey
from feedback.services.sqlfuncs import month_key


@dataclass(frozen=True)
class PeriodResult:
    period: str
    n: int
    estimate: analysis.Estimate | None  # None when n is below the reporting minimum


@dataclass(frozen=True)
class NpsDashboard:
    survey: Survey
    overall: analysis.Estimate | None
    periods: list[PeriodResult]
    figure_json: str
    min_n: int
    target_margin: float

    @property
    def precise_enough(self) -> bool:
        return self.overall is not None and self.overall.margin <= self.target_margin


def nps_counts_by_month(survey_id: int) -> dict[str, list[int]]:
    """Per month, the number of complete answers at each NPS score 0..10 (one GROUP BY)."""
    month = month_key(Response.submitted_at)
    rows = db.session.execute(
        select(month, Answer.number, func.count())
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            Response.survey_id == survey_id,
            Response.status == "complete",
            Question.role == "nps",
            Answer.number.is_not(None),
        )
        .group_by(month, Answer.number)
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 11)
    for period, score, n in rows:
        score = int(score)
        if 0 <= score <= 10:
            counts[period][score] += n
    return dict(sorted(counts.items()))


def nps_dashboard(survey: Survey) -> NpsDashboard:
    min_n = int(current_app.config["MIN_SEGMENT_N"])
    by_month = nps_counts_by_month(survey.id)
    total = [sum(col) for col in zip(*by_month.values(), strict=True)] if by_month else [0] * 11
    overall = analysis.nps(counts=total) if sum(total) else None
    periods = [
        PeriodResult(p, sum(c), analysis.nps(counts=c) if sum(c) >= min_n else None)
        for p, c in by_month.items()
    ]
    fig = figures.nps_trend(
        [p.period for p in periods], [p.estimate for p in periods], title=f"NPS by month: {survey.name}"
    )
    return NpsDashboard(
        survey, overall, periods, fig.to_json(), min_n, float(current_app.config["TARGET_MARGIN"])
    )
