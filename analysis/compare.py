"""Is a change real? Differences between estimates, with p-values that survive multiple testing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy import optimize, stats

from analysis.dispersion import Dispersion, pearson
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

    Each metric uses one statistic for both the interval and the p-value, so with
    the default ``alpha`` (1 - confidence) ``significant`` holds exactly when 0 lies
    outside the interval. NPS: both NPS are taken on Rocks' adjusted counts
    (+0.75/+1.5/+0.75) and the interval and the z test share that one statistic.
    Percentages (CSAT, response rate, any proportion): Newcombe's hybrid score
    interval (method 10, from the two Wilson intervals), and the p-value is that
    interval inverted: the smallest alpha at which 0 falls outside it. Means:
    Welch's t for both. Weighted estimates (``weighted=True``) go to
    ``analysis.weighted.compare``: a z test on their linearised standard errors.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions: comparison of eleven methods. *Statistics in Medicine*
    17(8), 873-890 (method 10). Fagerland, M. W., Lydersen, S. and Laake, P. (2015).
    Recommended confidence intervals for two independent binomial proportions.
    *Statistical Methods in Medical Research* 24(2), 224-254, recommend it.
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
    if a.weighted or b.weighted:
        from analysis.weighted import compare as compare_weighted  # it imports Comparison from here

        return compare_weighted(a, b, alpha=alpha)
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
    ka, kb = round(a.value / 100 * a.n), round(b.value / 100 * b.n)
    low, high = _newcombe(ka, a.n, kb, b.n, z_value(a.confidence))
    p = _newcombe_p_value(ka, a.n, kb, b.n)
    return Comparison(
        a.metric,
        100 * (ka / a.n - kb / b.n),
        100 * low,
        100 * high,
        p,
        p < alpha,
        a.confidence,
        "difference of proportions: Newcombe hybrid score interval (method 10), p-value by inverting it",
    )


def _score_limits(k: int, n: int, z: float) -> tuple[float, float]:
    # Wilson's limits written in z, not in a confidence level, so the p-value can search over z.
    p, zz = k / n, z * z
    centre, spread = k + zz / 2, z * math.sqrt(k * (1 - p) + zz / 4)
    return max(0.0, (centre - spread) / (n + zz)), min(1.0, (centre + spread) / (n + zz))


def _newcombe(ka: int, na: int, kb: int, nb: int, z: float) -> tuple[float, float]:
    """Newcombe (1998) method 10 for pa - pb, as fractions, at normal quantile ``z``."""
    pa, pb = ka / na, kb / nb
    la, ua = _score_limits(ka, na, z)
    lb, ub = _score_limits(kb, nb, z)
    diff = pa - pb
    return diff - math.hypot(pa - la, ub - pb), diff + math.hypot(ua - pa, pb - lb)


def _newcombe_p_value(ka: int, na: int, kb: int, nb: int) -> float:
    """Two-sided p-value: 2 * (1 - Phi(z*)), with z* the quantile at which a limit of the interval is 0.

    The Wilson intervals grow with z, so the limit on the side of 0 moves towards 0
    monotonically and the root is unique; at z = 0 the interval is the single point pa - pb.
    """
    diff = ka / na - kb / nb
    if diff == 0:
        return 1.0

    def nearer_limit(z: float) -> float:
        low, high = _newcombe(ka, na, kb, nb, z)
        return low if diff > 0 else -high

    z_max = 40.0  # 2 * (1 - Phi(40)) is far below any alpha in use
    if nearer_limit(z_max) > 0:
        return 0.0
    z_star = optimize.brentq(nearer_limit, 0.0, z_max, xtol=1e-14)
    return _two_sided(z_star)


def _means(a: Estimate, b: Estimate, alpha: float) -> Comparison:
    if a.se is None or b.se is None:
        raise ValueError("mean estimates need their standard errors to be compared")
    va, vb = a.se**2, b.se**2
    se = math.sqrt(va + vb)
    diff = a.value - b.value
    if se == 0:  # no spread in either group: the interval is the point diff, and the test must agree
        p = float(diff == 0)
        return Comparison(a.metric, diff, diff, diff, p, p < alpha, a.confidence, "Welch t test")
    dof = (va + vb) ** 2 / (va**2 / max(a.n - 1, 1) + vb**2 / max(b.n - 1, 1))
    p = float(2 * stats.t.sf(abs(diff / se), dof))
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


NAIVE_TREND = "weighted least squares on period estimates (weights 1/SE^2), z test on the slope"
QUASI_TREND = (
    "quasi-likelihood: weighted least squares on period estimates, slope variance times the "
    "dispersion ratio (Wedderburn 1974), t test on periods - 2 df"
)
TREND_MODES = ("auto", "none", "quasi")


@dataclass(frozen=True)
class Trend:
    slope: float  # change per period, in the metric's unit
    low: float
    high: float
    p_value: float
    significant: bool
    periods: int
    method: str = NAIVE_TREND
    dispersion: Dispersion | None = None  # of the periods around the fitted line

    def to_dict(self) -> dict[str, Any]:
        out = {
            "slope": round(self.slope, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "p_value": round(self.p_value, 6),
            "significant": self.significant,
            "periods": self.periods,
            "method": self.method,
        }
        if self.dispersion is not None:
            out["dispersion"] = self.dispersion.to_dict()
        return out

    def summary(self) -> str:
        verdict = "significant" if self.significant else "not significant"
        lines = [
            f"trend {self.slope:+.3f} per period [{self.low:+.3f} to {self.high:+.3f}] over "
            f"{self.periods} periods, p = {self.p_value:.4f}: {verdict}",
            f"method: {self.method}",
        ]
        if self.dispersion is not None:
            lines.append(self.dispersion.summary())
        return "\n".join(lines)


def trend(estimates: Sequence[Estimate], *, confidence: float = 0.95, overdispersion: str = "auto") -> Trend:
    """Linear trend across consecutive periods: is the metric drifting, beyond noise?

    Weighted least squares of the period estimates on the period index, weights 1/SE^2.
    The Pearson dispersion ratio of the periods around the line, phi = X^2 / (m - 2),
    is always reported. When the periods vary more than their SEs allow
    (``overdispersion="auto"``, the rule of ``analysis.dispersion``: X^2 beyond its upper
    20% point on m - 2 df) the slope's variance is multiplied by max(1, phi) and tested
    with Student's t on m - 2 df (quasi-likelihood); otherwise the slope is tested with
    z, as with pure multinomial sampling. ``"none"`` and ``"quasi"`` force either.

    References
    ----------
    Wedderburn, R. W. M. (1974). Quasi-likelihood functions, generalized linear models,
    and the Gauss-Newton method. *Biometrika* 61(3), 439-447. McCullagh, P. and Nelder,
    J. A. (1989). *Generalized Linear Models*, 2nd ed., section 4.5.

    Examples
    --------
    >>> from analysis import proportion
    >>> months = [proportion(k, 400) for k in (200, 260, 190, 250, 230, 280)]
    >>> t = trend(months)
    >>> t.method.startswith("quasi"), round(t.dispersion.ratio, 2), t.significant
    (True, 11.09, False)
    """
    if overdispersion not in TREND_MODES:
        raise ValueError(f"overdispersion must be one of {', '.join(TREND_MODES)}")
    check_confidence(confidence)
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
    fitted = [ybar + slope * (xi - xbar) for xi in x]
    found = pearson(y, [1 / wi for wi in w], fitted, params=2)
    quasi = overdispersion == "quasi" or (overdispersion == "auto" and found.overdispersed)
    if not quasi:
        se = math.sqrt(1 / sxx)
        p = _two_sided(slope / se)
        half = z_value(confidence) * se
        return Trend(
            slope, slope - half, slope + half, p, p < 1 - confidence, len(points), NAIVE_TREND, found
        )
    dof = len(points) - 2
    se = math.sqrt(found.scale / sxx)
    p = float(2 * stats.t.sf(abs(slope / se), dof))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof)) * se
    return Trend(slope, slope - half, slope + half, p, p < 1 - confidence, len(points), QUASI_TREND, found)
