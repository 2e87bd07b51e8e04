"""Is a change real? Differences between estimates, with p-values that survive multiple testing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats

from analysis.estimates import Estimate, check_confidence, z_value
from analysis.multiple import correct

NPS_PSEUDO = (0.75, 1.5, 0.75)  # Rocks (2016): detractors, passives, promoters


@dataclass(frozen=True)
class Comparison:
    """a - b, in the metric's unit, with an interval and a two-sided p-value."""

    metric: str
    difference: float
    low: float
    high: float
    p_value: float
    significant: bool
    confidence: float
    method: str
    p_adjusted: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "difference": round(self.difference, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "p_value": round(self.p_value, 6),
            "significant": self.significant,
            "method": self.method,
        }
        if self.p_adjusted is not None:
            out["p_adjusted"] = round(self.p_adjusted, 6)
        return out

    def summary(self) -> str:
        verdict = "significant" if self.significant else "not significant"
        adjusted = f" (adjusted p {self.p_adjusted:.4f})" if self.p_adjusted is not None else ""
        return (
            f"{self.metric.upper()} difference {self.difference:+.2f} "
            f"[{self.confidence:.0%} CI {self.low:+.2f} to {self.high:+.2f}], "
            f"p = {self.p_value:.4f}{adjusted}: {verdict}\nmethod: {self.method}"
        )


def compare(a: Estimate, b: Estimate, *, alpha: float | None = None) -> Comparison:
    """Difference a - b of two independent estimates of the same metric.

    NPS: both NPS are taken on Rocks' adjusted counts (+0.75/+1.5/+0.75) and the
    interval and the z test share that one statistic. Percentages (CSAT, response
    rate, any proportion): Agresti-Caffo interval (one success and one failure
    added to each group) and the pooled two-proportion z test. Means: Welch's t.

    References
    ----------
    Agresti, A. and Caffo, B. (2000). Simple and effective confidence intervals for
    proportions and differences of proportions result from adding two successes and
    two failures. *The American Statistician* 54(4), 280-288.
    Welch, B. L. (1947). *Biometrika* 34, 28-35.

    Examples
    --------
    >>> from analysis import nps
    >>> c = compare(nps(counts=[10] + [0] * 6 + [30, 0, 60, 0]), nps(counts=[20] + [0] * 6 + [30, 0, 50, 0]))
    >>> round(c.difference, 1), c.significant
    (20.0, False)
    """
    if a.metric != b.metric:
        raise ValueError(f"cannot compare {a.metric!r} with {b.metric!r}")
    if a.confidence != b.confidence:
        raise ValueError("the two estimates use different confidence levels")
    check_confidence(a.confidence)
    alpha = 1 - a.confidence if alpha is None else alpha
    if a.metric == "nps":
        return _nps(a, b, alpha)
    if a.unit == "percent":
        return _proportions(a, b, alpha)
    return _means(a, b, alpha)


def _nps_parts(e: Estimate, pseudo: bool) -> tuple[float, float, float]:
    d = e.details
    try:
        pro, pas, det = float(d["promoters"]), float(d["passives"]), float(d["detractors"])
    except KeyError:
        raise ValueError("an NPS estimate needs its promoter, passive and detractor counts") from None
    if pseudo:
        det, pas, pro = det + NPS_PSEUDO[0], pas + NPS_PSEUDO[1], pro + NPS_PSEUDO[2]
    n = pro + pas + det
    value = (pro - det) / n
    return value, (pro + det) / n - value**2, n


def _nps(a: Estimate, b: Estimate, alpha: float) -> Comparison:
    # Interval and test share one statistic, on adjusted counts, so they never disagree.
    da, va, na = _nps_parts(a, True)
    db, vb, nb = _nps_parts(b, True)
    se = math.sqrt(va / na + vb / nb)
    diff_adj = da - db
    p = _two_sided(diff_adj / se) if se > 0 else (0.0 if diff_adj else 1.0)
    half = z_value(a.confidence) * se
    return Comparison(
        "nps",
        a.value - b.value,
        100 * (diff_adj - half),
        100 * (diff_adj + half),
        p,
        p < alpha,
        a.confidence,
        "difference of NPS on adjusted counts (Rocks 2016), z test",
    )


def _proportions(a: Estimate, b: Estimate, alpha: float) -> Comparison:
    ka, kb = a.value / 100 * a.n, b.value / 100 * b.n
    pa_adj, pb_adj = (ka + 1) / (a.n + 2), (kb + 1) / (b.n + 2)
    se_adj = math.sqrt(pa_adj * (1 - pa_adj) / (a.n + 2) + pb_adj * (1 - pb_adj) / (b.n + 2))
    pooled = (ka + kb) / (a.n + b.n)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
    diff = a.value / 100 - b.value / 100
    p = _two_sided(diff / se0) if se0 > 0 else (1.0 if diff == 0 else 0.0)
    half = z_value(a.confidence) * se_adj
    adj = pa_adj - pb_adj
    return Comparison(
        a.metric,
        100 * diff,
        100 * (adj - half),
        100 * (adj + half),
        p,
        p < alpha,
        a.confidence,
        "difference of proportions: Agresti-Caffo interval, pooled z test",
    )


def _means(a: Estimate, b: Estimate, alpha: float) -> Comparison:
    if a.se is None or b.se is None:
        raise ValueError("mean estimates need their standard errors to be compared")
    va, vb = a.se**2, b.se**2
    se = math.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / max(a.n - 1, 1) + vb**2 / max(b.n - 1, 1)) if se > 0 else 1.0
    diff = a.value - b.value
    t = diff / se if se > 0 else 0.0
    p = float(2 * stats.t.sf(abs(t), dof))
    half = float(stats.t.ppf(0.5 + a.confidence / 2, dof)) * se
    return Comparison(a.metric, diff, diff - half, diff + half, p, p < alpha, a.confidence, "Welch t test")


def _two_sided(z: float) -> float:
    return float(2 * stats.norm.sf(abs(z)))


def adjust(
    comparisons: Sequence[Comparison], *, method: str = "holm", alpha: float = 0.05
) -> list[Comparison]:
    """Control the error rate across many comparisons; ``significant`` is re-decided after it.

    ``holm`` controls the family-wise error rate (Holm 1979); ``fdr_bh`` the false
    discovery rate (Benjamini and Hochberg 1995, via statsmodels).
    """
    if method not in ("holm", "fdr_bh"):
        raise ValueError("method must be 'holm' or 'fdr_bh'")
    if not comparisons:
        return []
    reject, p_adj = correct([c.p_value for c in comparisons], method=method, alpha=alpha)
    label = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}[method]
    return [
        Comparison(
            c.metric,
            c.difference,
            c.low,
            c.high,
            c.p_value,
            bool(r),
            c.confidence,
            f"{c.method}; {label} adjusted",
            float(p),
        )
        for c, r, p in zip(comparisons, reject, p_adj, strict=True)
    ]


@dataclass(frozen=True)
class Trend:
    slope: float  # change per period, in the metric's unit
    low: float
    high: float
    p_value: float
    significant: bool
    periods: int
    method: str = "weighted least squares on period estimates (weights 1/SE^2), z test on the slope"

    def to_dict(self) -> dict[str, Any]:
        return {
            "slope": round(self.slope, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "p_value": round(self.p_value, 6),
            "significant": self.significant,
            "periods": self.periods,
            "method": self.method,
        }


def trend(estimates: Sequence[Estimate], *, confidence: float = 0.95) -> Trend:
    """Linear trend across consecutive periods: is the metric drifting, beyond noise?"""
    points = [(i, e) for i, e in enumerate(estimates) if e is not None and e.se]
    if len(points) < 3:
        raise ValueError("a trend needs at least three periods with a standard error")
    x = [i for i, _ in points]
    y = [e.value for _, e in points]
    w = [1 / e.se**2 for _, e in points]
    sw = sum(w)
    xbar = sum(wi * xi for wi, xi in zip(w, x, strict=True)) / sw
    ybar = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sw
    sxx = sum(wi * (xi - xbar) ** 2 for wi, xi in zip(w, x, strict=True))
    slope = sum(wi * (xi - xbar) * (yi - ybar) for wi, xi, yi in zip(w, x, y, strict=True)) / sxx
    se = math.sqrt(1 / sxx)
    p = _two_sided(slope / se)
    half = z_value(confidence) * se
    return Trend(slope, slope - half, slope + half, p, p < 1 - confidence, len(points))
