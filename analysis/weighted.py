"""Estimates with survey weights: Taylor-linearised (design-based) intervals.

Every metric here is a weighted mean of a per-answer value: NPS of 100 for a promoter,
-100 for a detractor and 0 for a passive; CSAT of 100 for a top-box answer and 0
otherwise; CES of the score itself. A weighted mean is a ratio of two weighted totals,
so its variance comes from linearisation: the residual z_i = w_i (y_i - ybar) / sum w
stands in for each answer, and the variance of a with-replacement, single-stage design
(each respondent its own primary unit, optionally within strata h) is

    v = sum_h n_h / (n_h - 1) * sum_{i in h} (z_i - zbar_h)^2.

The weights are taken as fixed. Raking weights are estimated, and that estimation
usually lowers the variance (Deville and Särndal 1992), so without strata this is
conservative; with one raking variable its cells are the post-strata and may be
passed as ``strata``.

References: Woodruff, R. S. (1971). A simple method for approximating the variance of a
complicated estimate. *JASA* 66, 411-414. Lohr, S. L. (2019). *Sampling: Design and
Analysis*, 2nd ed., ch. 9 (section 9.1, linearisation of a ratio). Särndal, C.-E.,
Swensson, B. and Wretman, J. (1992). *Model Assisted Survey Sampling*, Springer,
sections 5.5-5.7. Kish, L. (1965). *Survey Sampling*, section 11.7 (effective n).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis.compare import Comparison
from analysis.estimates import Estimate, check_confidence, fpc, z_value

METHOD = "weighted; Taylor-linearised variance (with-replacement design)"
NOTE = "the two estimates are taken as independent samples (different respondents)"


@dataclass(frozen=True)
class Linearised:
    """A weighted mean with its linearised variance, and the sample it came from."""

    mean: float
    variance: float
    n: int
    n_effective: float
    weight: float  # the sum of the weights

    @property
    def se(self) -> float:
        return math.sqrt(max(self.variance, 0.0))


def linearise(
    values: Sequence[float],
    weights: Sequence[float],
    *,
    counts: Sequence[float] | None = None,
    strata: Sequence[object] | None = None,
) -> Linearised:
    """Weighted mean sum(w y) / sum(w) and its Taylor-linearised variance.

    ``counts`` repeats each row that many times (rows of value, weight and count, as the
    database groups answers). ``strata`` gives each row's stratum; a stratum with a
    single respondent adds nothing (it cannot be centred).

    References
    ----------
    Woodruff (1971), *JASA* 66, 411-414; Lohr (2019), *Sampling: Design and Analysis*,
    2nd ed., eq. 9.5 for the ratio estimator.

    Examples
    --------
    >>> r = linearise([1, 0, 1, 1], [1, 1, 1, 1])
    >>> r.mean, round(r.variance, 6)  # p(1 - p) / (n - 1)
    (0.75, 0.0625)
    """
    y = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    c = np.ones_like(y) if counts is None else np.asarray(counts, dtype=float)
    if y.ndim != 1 or y.shape != w.shape or y.shape != c.shape or not y.size:
        raise ValueError("values, weights and counts must be non-empty and of equal length")
    if (w < 0).any() or (c < 0).any() or not np.isfinite(y).all():
        raise ValueError("weights and counts must be non-negative and values finite")
    total = float((c * w).sum())
    n = float(c.sum())
    if total <= 0 or n < 2:
        raise ValueError("a weighted estimate with an interval needs two answers with positive weight")
    mean = float((c * w * y).sum() / total)
    z = w * (y - mean) / total
    if strata is None:
        groups = [np.ones(y.size, dtype=bool)]
    else:
        keys = np.asarray(list(strata), dtype=object)
        if keys.shape != y.shape:
            raise ValueError("strata must give one stratum per row")
        groups = [keys == k for k in set(keys.tolist())]
    variance = 0.0
    for g in groups:
        n_h = float(c[g].sum())
        if n_h < 2:
            continue
        centre = float((c[g] * z[g]).sum() / n_h)
        variance += n_h / (n_h - 1) * float((c[g] * (z[g] - centre) ** 2).sum())
    n_eff = total**2 / float((c * w**2).sum())
    return Linearised(mean, variance, round(n), n_eff, total)


def weighted_mean(
    values: Sequence[float],
    weights: Sequence[float],
    *,
    counts: Sequence[float] | None = None,
    strata: Sequence[object] | None = None,
    confidence: float = 0.95,
    population: int | None = None,
    metric: str = "mean",
    unit: str = "points",
    bounds: tuple[float, float] = (-math.inf, math.inf),
    details: dict | None = None,
) -> Estimate:
    """A weighted mean with a normal interval on its linearised standard error.

    ``population`` is the size N of a real sampling frame (see ``analysis.estimates.fpc``);
    the variance is then multiplied by (N - n) / (N - 1).

    Examples
    --------
    >>> e = weighted_mean([4, 5, 6, 7], [1, 1, 2, 2])
    >>> round(e.value, 3), round(e.n_effective, 2), e.weighted
    (5.833, 3.6, True)
    """
    check_confidence(confidence)
    r = linearise(values, weights, counts=counts, strata=strata)
    se = r.se * fpc(r.n, population)
    half = z_value(confidence) * se
    return Estimate(
        metric,
        r.mean,
        max(bounds[0], r.mean - half),
        min(bounds[1], r.mean + half),
        r.n,
        confidence,
        METHOD + (", stratified" if strata is not None else ""),
        unit,
        population,
        {"design_effect": round(r.n / r.n_effective, 3), **(details or {})},
        se,
        r.n_effective,
        True,
    )


def nps(
    scores: Sequence[int],
    weights: Sequence[float],
    *,
    counts: Sequence[float] | None = None,
    strata: Sequence[object] | None = None,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """Weighted NPS in points: the weighted mean of 100 (promoter), 0 (passive), -100 (detractor).

    Its linearised variable is w_i (y_i - NPS) / sum w with y_i = 1{promoter} - 1{detractor}.

    References
    ----------
    Woodruff (1971); Lohr (2019), ch. 9. Rocks (2016), *The American Statistician* 70(4),
    for NPS as the mean of a three-valued variable.

    Examples
    --------
    >>> e = nps([10] * 40 + [8] * 30 + [3] * 30, [1.0] * 100)
    >>> round(e.value, 1), round(e.low, 1), round(e.high, 1), e.n_effective
    (10.0, -6.4, 26.4, 100.0)
    """
    s = _scores(scores, 0, 10)
    y = np.where(s >= 9, 100.0, np.where(s <= 6, -100.0, 0.0))
    c = np.ones(s.size) if counts is None else np.asarray(counts, dtype=float)
    parts = {
        "promoters": int(c[s >= 9].sum()),
        "passives": int(c[(s >= 7) & (s <= 8)].sum()),
        "detractors": int(c[s <= 6].sum()),
    }
    e = weighted_mean(
        y,
        weights,
        counts=c,
        strata=strata,
        confidence=confidence,
        population=population,
        metric="nps",
        bounds=(-100.0, 100.0),
        details=parts,
    )
    return e


def csat(
    scores: Sequence[int],
    weights: Sequence[float],
    *,
    counts: Sequence[float] | None = None,
    strata: Sequence[object] | None = None,
    scale: int = 5,
    top_box: int = 2,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """Weighted CSAT top-box percentage: the weighted mean of 100 for a top-box answer, else 0.

    Examples
    --------
    >>> e = csat([5, 5, 4, 2, 1], [1, 1, 1, 1, 1])
    >>> e.value, round(e.se, 2)  # se^2 = p (1 - p) / (n - 1), in percent
    (60.0, 24.49)
    """
    if not 1 <= top_box < scale:
        raise ValueError(f"top_box must be between 1 and {scale - 1}, got {top_box}")
    s = _scores(scores, 1, scale)
    c = np.ones(s.size) if counts is None else np.asarray(counts, dtype=float)
    top = s > scale - top_box
    return weighted_mean(
        np.where(top, 100.0, 0.0),
        weights,
        counts=c,
        strata=strata,
        confidence=confidence,
        population=population,
        metric="csat",
        unit="percent",
        bounds=(0.0, 100.0),
        details={"satisfied": int(c[top].sum()), "scale": scale, "top_box": top_box},
    )


def ces(
    scores: Sequence[int],
    weights: Sequence[float],
    *,
    counts: Sequence[float] | None = None,
    strata: Sequence[object] | None = None,
    scale: int = 7,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """Weighted Customer Effort Score: the weighted mean score on 1..scale.

    Examples
    --------
    >>> round(ces([7, 6, 5, 2], [1, 1, 1, 3]).value, 2)
    4.0
    """
    s = _scores(scores, 1, scale)
    return weighted_mean(
        s,
        weights,
        counts=counts,
        strata=strata,
        confidence=confidence,
        population=population,
        metric="ces",
        bounds=(1.0, float(scale)),
        details={"scale": scale},
    )


def compare(a: Estimate, b: Estimate, *, alpha: float | None = None) -> Comparison:
    """a - b for two independent estimates with linearised standard errors: a z test.

    Periods hold different respondents, so the two are independent samples and the
    variance of the difference is se_a^2 + se_b^2; a segment against the rest of the
    sample is treated the same way (the covariance through shared raking is ignored).
    Interval and p-value share the one statistic, so ``significant`` holds exactly when 0
    is outside the interval at the default ``alpha``.

    References
    ----------
    Lohr (2019), *Sampling: Design and Analysis*, 2nd ed., section 9.1 and ch. 11
    (comparing domain means).

    Examples
    --------
    >>> a = nps([10] * 60 + [3] * 40, [1.0] * 100)
    >>> b = nps([10] * 40 + [3] * 60, [1.0] * 100)
    >>> c = compare(a, b)
    >>> round(c.difference, 1), c.significant
    (40.0, True)
    """
    if a.metric != b.metric:
        raise ValueError(f"cannot compare {a.metric!r} with {b.metric!r}")
    if a.confidence != b.confidence:
        raise ValueError("the two estimates use different confidence levels")
    if a.se is None or b.se is None:
        raise ValueError("weighted estimates need their standard errors to be compared")
    alpha = 1 - a.confidence if alpha is None else alpha
    diff = a.value - b.value
    se = math.hypot(a.se, b.se)
    p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else float(diff == 0)
    half = z_value(a.confidence) * se
    return Comparison(
        a.metric,
        diff,
        diff - half,
        diff + half,
        p,
        p < alpha,
        a.confidence,
        f"difference of weighted estimates, linearised variances, z test; {NOTE}",
    )


def _scores(scores: Sequence[int], low: int, high: int) -> np.ndarray:
    s = np.asarray(scores)
    if s.ndim != 1 or not s.size:
        raise ValueError("scores must be a non-empty list")
    if not np.all(np.equal(np.mod(s, 1), 0)) or s.min() < low or s.max() > high:
        raise ValueError(f"scores must be whole numbers from {low} to {high}")
    return s.astype(np.int64)
