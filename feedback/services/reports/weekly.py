"""NPS week by week, for a dashboard's trend when months are too coarse to see a change.

Weeks run Monday to Monday in UTC and only whole weeks are shown, so the latest point is not
a week's first few hours. The counts are grouped in SQL, through the same conditions as the
results (window and slice), and every week's estimate and the latest change come from
``analysis``, as the monthly figures do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import case

from analysis import Comparison, Estimate, compare, nps
from feedback.models import Response
from feedback.services.reports import aggregates
from feedback.services.reports.results import check_slice

WEEKS = 13  # a quarter: enough points for a trend, few enough to read


@dataclass(frozen=True)
class Week:
    start: date  # its Monday
    n: int
    estimate: Estimate | None  # None below the minimum n: shown as too few answers


@dataclass(frozen=True)
class Weekly:
    weeks: list[Week]
    change: Comparison | None  # the latest two weeks with enough answers, when there are two
    compared: tuple[date, date] | None = None  # their Mondays

    @property
    def periods(self) -> list[str]:
        return [w.start.isoformat() for w in self.weeks]


def bounds(end: datetime, start: datetime | None = None, count: int = WEEKS) -> list[datetime]:
    """Week boundaries, the last one the Monday at or before ``end`` (whole weeks only)."""
    day = end.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    last = day - timedelta(days=day.weekday())
    edges = [last - timedelta(weeks=count - i) for i in range(count + 1)]
    return [e for e in edges if start is None or e >= start] or [last]


def week_of(column, edges: list[datetime]):
    """The index of the week ``column`` falls in (-1 outside), as a CASE both databases read."""
    return case(*[(column >= edges[i], i) for i in reversed(range(len(edges) - 1))], else_=-1)


def nps_weeks(
    survey_id: int,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    where: dict[str, str] | None = None,
    min_n: int = 30,
    now: datetime | None = None,
) -> Weekly:
    """The survey's NPS in each of the last whole weeks before ``end`` (or now), for the
    customers ``where`` names, and the change between the latest two weeks with min_n answers."""
    edges = bounds(min(end, now or datetime.now(UTC)) if end else (now or datetime.now(UTC)), start)
    if len(edges) < 2:
        return Weekly([], None)
    qids = aggregates.question_ids(survey_id, role="nps")
    counts = np.zeros((len(edges) - 1, 11), dtype=np.int64)
    if qids:
        window = aggregates.Window(edges[0], edges[-1], check_slice(where))
        for week, score, n in aggregates.answer_counts(
            survey_id, window, qids, [week_of(Response.submitted_at, edges)]
        ):
            if week >= 0 and 0 <= int(score) <= 10:
                counts[week, int(score)] += n
    weeks = []
    for i, row in enumerate(counts):
        n = int(row.sum())
        weeks.append(Week(edges[i].date(), n, nps(counts=row.tolist()) if n >= min_n else None))
    enough = [w for w in weeks if w.estimate is not None]
    if len(enough) < 2:
        return Weekly(weeks, None)
    before, after = enough[-2], enough[-1]
    return Weekly(weeks, compare(after.estimate, before.estimate), (before.start, after.start))
