"""Other NPS intervals: the iterative score interval (Tango) and the weighted estimate."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import optimize

from analysis.estimates import Estimate, check_confidence, effective_n, fpc, z_value


def tango_interval(
    promoters: int, passives: int, detractors: int, *, confidence: float = 0.95, population: int | None = None
) -> tuple[float, float]:
    """Score interval for NPS = p+ - p-, inverting the score test with restricted MLEs.

    NPS is a difference of two proportions from one multinomial sample, the same
    structure as the difference of paired proportions, so Tango's (1998) score
    interval applies with promoters and detractors as the discordant cells. For
    each candidate difference d the nuisance share of detractors is its maximum
    likelihood value under the constraint p+ - p- = d, and the interval is every d
    whose score statistic stays within the normal quantile.

    References
    ----------
    Tango, T. (1998). Equivalence test and confidence interval for the difference
    in proportions for the paired-sample design. *Statistics in Medicine* 17, 891-908.
    Rocks, B. (2016), *The American Statistician* 70(4), compares it with the
    adjusted Wald interval for the NPS.

    Returns the limits in points (-100..100).
    """
    check_confidence(confidence)
    b, c = float(promoters), float(detractors)
    n = b + c + float(passives)
    if n <= 0:
        raise ValueError("no answers")
    n_eff = effective_n(int(n), population) if population else n
    if math.isinf(n_eff):
        value = 100 * (b - c) / n
        return value, value
    scale = n_eff / n  # the finite population correction shrinks the variance, as n grows
    z = z_value(confidence)
    observed = (b - c) / n

    def statistic(d: float) -> float:
        q = _restricted_detractor_share(b, c, n, d)
        var = (2 * q + d * (1 - d)) / (n * scale)
        if var <= 0:
            return math.inf if abs(observed - d) > 1e-12 else 0.0
        return (observed - d) / math.sqrt(var)

    eps = 1e-9
    low = (
        -1.0 if statistic(-1 + eps) <= z else optimize.brentq(lambda d: statistic(d) - z, -1 + eps, observed)
    )
    high = 1.0 if statistic(1 - eps) >= -z else optimize.brentq(lambda d: statistic(d) + z, observed, 1 - eps)
    return 100 * low, 100 * high


def _restricted_detractor_share(b: float, c: float, n: float, d: float) -> float:
    """MLE of p- when p+ = p- + d: the root of the score equation in [max(0, -d), (1 - d) / 2]."""
    lo, hi = max(0.0, -d), (1 - d) / 2
    if hi - lo < 1e-15:
        return lo
    rest = n - b - c

    def score(q: float) -> float:
        return b / (q + d) + c / q - 2 * rest / (1 - 2 * q - d)

    a_, b_ = lo + 1e-12, hi - 1e-12
    fa, fb = score(a_), score(b_)
    if fa <= 0:
        return lo
    if fb >= 0:
        return hi
    return optimize.brentq(score, a_, b_)


def nps_weighted(
    scores: Sequence[int],
    weights: Sequence[float],
    *,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """NPS with survey weights; the interval uses Kish's effective sample size.

    ``population`` is the size N of a real sampling frame the answers were drawn from at
    random (not the number of invitations: respondents chose to answer). With it the
    standard error is multiplied by sqrt((N - n) / (N - 1)), n the number of answers,
    the usual approximation for a weighted mean under a sampling fraction n / N.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley. Effective n = (sum w)^2 / sum w^2;
    the finite population correction of a weighted estimate, section 2.8.

    Examples
    --------
    >>> print(nps_weighted([10] * 40 + [8] * 30 + [3] * 30, [1.0] * 100))
    NPS 10.0 points (95% CI -6.3 to 26.3, n=100)
    >>> print(nps_weighted([10] * 40 + [8] * 30 + [3] * 30, [1.0] * 100, population=400))
    NPS 10.0 points (95% CI -4.1 to 24.1, n=100)
    """
    check_confidence(confidence)
    s = np.asarray(scores)
    w = np.asarray(weights, dtype=float)
    if s.shape != w.shape or s.ndim != 1 or not s.size:
        raise ValueError("scores and weights must be non-empty and of equal length")
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    if s.min() < 0 or s.max() > 10:
        raise ValueError("scores must be from 0 to 10")
    total = w.sum()
    p_pro, p_det = w[s >= 9].sum() / total, w[s <= 6].sum() / total
    n_eff = total**2 / (w**2).sum()
    value = p_pro - p_det
    se = math.sqrt(max(p_pro + p_det - value**2, 0.0) / n_eff) * fpc(int(s.size), population)
    half = z_value(confidence) * se
    return Estimate(
        "nps",
        100 * value,
        100 * max(-1, value - half),
        100 * min(1, value + half),
        int(s.size),
        confidence,
        "weighted, Wald on Kish effective n",
        "points",
        population,
        {"effective_n": round(n_eff, 1), "design_effect": round(s.size / n_eff, 3)},
        100 * se,
    )
