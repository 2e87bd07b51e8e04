"""Proportions: Wilson score intervals, CSAT top-box, response rate."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from analysis.estimates import Estimate, check_confidence, check_counts, check_scores, effective_n, z_value


def wilson_interval(
    k: float, n: float, confidence: float = 0.95, population: int | None = None
) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials, as fractions.

    With a finite population the sample size is replaced by the effective
    n / f^2 (f the finite population correction), so a census has no width.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. *JASA* 22(158), 209-212. Brown, Cai and DasGupta
    (2001), Interval estimation for a binomial proportion, *Statistical Science*
    16(2), recommend it over the Wald interval.

    Examples
    --------
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    """
    check_confidence(confidence)
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n ({n}), got {k}")
    p = k / n
    n_eff = effective_n(round(n), population) if population else n
    if math.isinf(n_eff):
        return p, p
    z = z_value(confidence)
    denom = 1 + z * z / n_eff
    centre = (p + z * z / (2 * n_eff)) / denom
    half = z * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(
    k: int, n: int, *, confidence: float = 0.95, population: int | None = None, metric: str = "proportion"
) -> Estimate:
    """A proportion in percent with its Wilson interval."""
    low, high = wilson_interval(k, n, confidence, population)
    p = k / n
    se = (
        100
        * math.sqrt(p * (1 - p) / n)
        * (1 if not population else math.sqrt((population - n) / max(population - 1, 1)))
    )
    return Estimate(
        metric,
        100 * p,
        100 * low,
        100 * high,
        int(n),
        confidence,
        "Wilson score",
        "percent",
        population,
        {"successes": int(k)},
        se,
    )


def csat(
    scores: Sequence[int] | None = None,
    *,
    counts: Sequence[int] | None = None,
    scale: int = 5,
    top_box: int = 2,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """CSAT as the top-box percentage: the share answering in the top ``top_box`` points.

    ``counts`` has one entry per point 1..scale. The interval is Wilson's.

    Examples
    --------
    >>> e = csat(counts=[5, 5, 10, 40, 40])
    >>> round(e.value, 1), e.n, round(e.low, 1), round(e.high, 1)
    (80.0, 100, 71.1, 86.7)
    """
    if scale < 2:
        raise ValueError("scale must have at least 2 points")
    if not 1 <= top_box < scale:
        raise ValueError(f"top_box must be between 1 and {scale - 1}, got {top_box}")
    if (scores is None) == (counts is None):
        raise ValueError("give exactly one of scores or counts")
    if counts is not None:
        c = check_counts(counts, scale)
    else:
        s = check_scores(scores, 1, scale)
        c = np.bincount(s - 1, minlength=scale) if s.size else np.zeros(scale, np.int64)
    n = int(c.sum())
    if n == 0:
        raise ValueError("no answers; CSAT is undefined for n = 0")
    top = int(c[scale - top_box :].sum())
    e = proportion(top, n, confidence=confidence, population=population, metric="csat")
    return Estimate(
        "csat",
        e.value,
        e.low,
        e.high,
        n,
        confidence,
        f"Wilson score, top {top_box} of {scale}",
        "percent",
        population,
        {"satisfied": top, "scale": scale, "top_box": top_box},
        e.se,
    )


def response_rate(responded: int, invited: int, *, confidence: float = 0.95) -> Estimate:
    """Share of invited customers who answered, with a Wilson interval."""
    if invited <= 0:
        raise ValueError("invited must be positive")
    if not 0 <= responded <= invited:
        raise ValueError("responded must be between 0 and invited")
    e = proportion(responded, invited, confidence=confidence, metric="response_rate")
    return Estimate(
        "response_rate",
        e.value,
        e.low,
        e.high,
        invited,
        confidence,
        "Wilson score",
        "percent",
        None,
        {"responded": responded, "invited": invited},
        e.se,
    )
