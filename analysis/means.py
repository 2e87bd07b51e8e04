"""Mean scores (CES, Likert items) with t intervals, and Likert top-box."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from analysis.estimates import Estimate, check_confidence, check_counts, check_scores, fpc
from analysis.proportions import csat


def mean_score(
    scores: Sequence[int] | None = None,
    *,
    counts: Sequence[int] | None = None,
    scale: int = 7,
    low: int = 1,
    confidence: float = 0.95,
    population: int | None = None,
    metric: str = "mean",
) -> Estimate:
    """Mean of a rating with a Student t interval (finite population corrected when N is known).

    References
    ----------
    Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., section 2.5.

    Examples
    --------
    >>> e = mean_score([5, 6, 7, 7, 4, 6, 5, 7], scale=7)
    >>> round(e.value, 3), round(e.low, 3), round(e.high, 3)
    (5.875, 4.934, 6.816)
    """
    check_confidence(confidence)
    if (scores is None) == (counts is None):
        raise ValueError("give exactly one of scores or counts")
    points = np.arange(low, low + scale)
    if counts is not None:
        c = check_counts(counts, scale)
    else:
        s = check_scores(scores, low, low + scale - 1)
        c = np.bincount(s - low, minlength=scale) if s.size else np.zeros(scale, np.int64)
    n = int(c.sum())
    if n < 2:
        raise ValueError("a mean with an interval needs at least 2 answers")
    mean = float((points * c).sum() / n)
    var = float(((points - mean) ** 2 * c).sum() / (n - 1))
    se = math.sqrt(var / n) * fpc(n, population)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    return Estimate(
        metric,
        mean,
        max(low, mean - half),
        min(low + scale - 1, mean + half),
        n,
        confidence,
        "Student t",
        "points",
        population,
        {"sd": round(math.sqrt(var), 4), "scale": scale},
        se,
    )


def ces(
    scores: Sequence[int] | None = None,
    *,
    counts: Sequence[int] | None = None,
    scale: int = 7,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """Customer Effort Score: the mean on a 1..scale ease scale (higher is easier)."""
    return mean_score(
        scores, counts=counts, scale=scale, confidence=confidence, population=population, metric="ces"
    )


def likert(
    scores: Sequence[int] | None = None,
    *,
    counts: Sequence[int] | None = None,
    scale: int = 5,
    top_box: int = 2,
    confidence: float = 0.95,
) -> tuple[Estimate, Estimate]:
    """A Likert item: (mean with t interval, top-box percentage with Wilson interval)."""
    mean = mean_score(scores, counts=counts, scale=scale, confidence=confidence, metric="likert_mean")
    box = csat(scores, counts=counts, scale=scale, top_box=top_box, confidence=confidence)
    box = Estimate(
        "likert_top_box",
        box.value,
        box.low,
        box.high,
        box.n,
        confidence,
        box.method,
        "percent",
        None,
        box.details,
        box.se,
    )
    return mean, box
