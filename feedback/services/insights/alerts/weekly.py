"""Week-by-week counts per region for the drift charts, grouped in SQL.

Weeks run Monday to Monday in UTC and end at the start of the current week, so the latest
week is complete. The week number comes from a CASE over the submission time, which reads
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import case, func, select

from feedback.extensions import db
from feedback.models import Comment, CommentTheme, Response
from feedback.services.reports import aggregates

BASELINE_WEEKS = 26
WATCHED_WEEKS = 13


def edges(now: datetime) -> list[datetime]:
    """BASELINE_WEEKS + WATCHED_WEEKS + 1 week boundaries, the last one this week's Monday."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = day - timedelta(days=day.weekday())
    count = BASELINE_WEEKS + WATCHED_WEEKS
    return [monday - timedelta(weeks=count - i) for i in range(count + 1)]


def _week(column, bounds: list[datetime]):
    return case(*[(column >= bounds[i], i) for i in reversed(range(len(bounds) - 1))], else_=-1)


def nps(survey_id: int, bounds: list[datetime]) -> dict[str, np.ndarray]:
    """region -> (weeks x 11) answers per NPS score."""
    qids = aggregates.question_ids(survey_id, role="nps")
    out: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((len(bounds) - 1, 11), dtype=np.int64))
    if not qids:
        return {}
    window = aggregates.Window(bounds[0], bounds[-1])
    rows = aggregates.answer_counts(
        survey_id, window, qids, [Response.region, _week(Response.submitted_at, bounds)]
    )
    for region, week, score, n in rows:
        if region and week >= 0 and 0 <= int(score) <= 10:
            out[region][week, int(score)] += n
    return dict(out)


def themes(
    survey_id: int, bounds: list[datetime]
) -> tuple[dict[str, np.ndarray], dict[tuple[str, str], np.ndarray]]:
    """(region -> comments per week, (region, theme) -> complaints per week)."""
    week = _week(Comment.submitted_at, bounds)
    where = (
        Comment.survey_id == survey_id,
        Comment.submitted_at >= bounds[0],
        Comment.submitted_at < bounds[-1],
        Comment.region.is_not(None),
    )
    width = len(bounds) - 1
    totals: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    for region, w, n in db.session.execute(
        select(Comment.region, week, func.count()).where(*where).group_by(Comment.region, week)
    ):
        if w >= 0:
            totals[region][w] += n
    complaints: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    query = (
        select(Comment.region, week, CommentTheme.code, func.count())
        .join(CommentTheme, CommentTheme.comment_id == Comment.id)
        .where(*where, CommentTheme.polarity == "complaint")
        .group_by(Comment.region, week, CommentTheme.code)
    )
    for region, w, code, n in db.session.execute(query):
        if w >= 0:
            complaints[(region, code)][w] += n
    return dict(totals), dict(complaints)
