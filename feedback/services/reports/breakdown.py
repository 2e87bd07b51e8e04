"""Segment × month: every segment's months on that segment's own control chart.

An incident confined to one region shows here long before it moves the overall score: the
region's month falls outside the region's limits. Months with fewer answers than the
reporting minimum are listed as suppressed and never flagged.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from analysis import effects
from analysis.control import nps_chart, p_chart
from feedback.services.reports.aggregates import NO_SEGMENT


def segment_months(metric: str, counts: dict, min_n: int, satisfied) -> list[dict]:
    """Rows of {segment, period, n, value, centre, lower, upper, signal} for ``metric``.

    ``counts`` maps (segment, period) to answers per score; ``satisfied`` turns a count
    vector into the number of satisfied answers (for CSAT's p-chart).
    """
    by_segment: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for (segment, period), c in counts.items():
        if segment != NO_SEGMENT and period:
            by_segment[segment][period] = c
    rows = []
    for segment in sorted(by_segment, key=str):
        months = by_segment[segment]
        if sum(int(c.sum()) for c in months.values()) < min_n:
            continue
        periods = sorted(months)
        if metric == "nps":
            points = nps_chart(periods, [list(months[p]) for p in periods])
        else:
            points = p_chart(
                periods, [satisfied(months[p]) for p in periods], [int(months[p].sum()) for p in periods]
            )
        for point in points:
            row = {"metric": metric, "segment": segment, "period": point.period, "n": point.n}
            if point.n < min_n:
                row["suppressed"] = True
            else:
                row |= point.to_dict()
            rows.append(row)
    return rows


def segment_effect(metric: str, a: np.ndarray, b: np.ndarray, scores, satisfied) -> dict:
    """How large a segment's difference from the rest is, to read beside its p-value: Cramer's V
    (NPS groups), Cohen's h (CSAT top box) or Cohen's d (means), each with its practical floor."""
    if metric == "csat":
        return effects.contrast("csat", a, b, satisfied=(satisfied(a), satisfied(b))).to_dict()
    return effects.contrast(metric, a, b, scores=None if metric == "nps" else list(scores)).to_dict()
