"""Overdispersion: do the periods vary more than sampling alone would make them?

Every interval in ``analysis`` assumes that a period's answers are a multinomial sample
from one fixed mix. Real months also move with the weather, the campaigns and the staff
on duty; that extra variation is invisible inside one month but shows across months.
The Pearson dispersion ratio measures it, a chi-square test says whether it is beyond
chance, and Laney's sigma_z widens a control chart's limits by it.

The rule for switching an adjustment on (``RULE``): the periods are overdispersed when
the Pearson chi-square exceeds its upper ``alpha`` quantile on its degrees of freedom
(``alpha`` = ``ALPHA``, 0.2 by default: the adjustment is cheap when it is not needed,
a missed one costs false alarms). Control charts test only the periods inside Shewhart's
3-sigma limits, so that a single real spike does not widen the limits meant to catch it,
and also need Laney's sigma_z > 1.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scipy import stats

if TYPE_CHECKING:  # compare imports this module for its trend
    from analysis.compare import Comparison

ALPHA = 0.2
RULE = (
    "adjusted when the Pearson chi-square exceeds its upper 20% point on its degrees of freedom "
    "(control charts: of the periods inside Shewhart's 3-sigma limits, and Laney's sigma_z > 1)"
)
D2 = 1.128  # E|X1 - X2| / sigma for two independent normals: the moving-range constant
D4_MEDIAN = 0.954  # median |X1 - X2| / sigma for two independent normals (Wheeler and Chambers)


@dataclass(frozen=True)
class Dispersion:
    """Pearson chi-square / df across periods (1 under pure multinomial sampling), and its test."""

    ratio: float
    chi2: float
    df: int
    p_value: float  # P(chi-square on df >= chi2): one-sided, against ratio = 1
    alpha: float = ALPHA

    @property
    def overdispersed(self) -> bool:
        return self.df > 0 and self.p_value < self.alpha

    @property
    def scale(self) -> float:
        """The variance multiplier of quasi-likelihood: the ratio, never below 1."""
        return max(1.0, self.ratio)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ratio": round(self.ratio, 4),
            "chi2": round(self.chi2, 4),
            "df": self.df,
            "p_value": round(self.p_value, 6),
            "overdispersed": self.overdispersed,
        }

    def summary(self) -> str:
        verdict = "overdispersed" if self.overdispersed else "consistent with sampling noise"
        return (
            f"dispersion ratio {self.ratio:.2f} (chi-square {self.chi2:.1f} on {self.df} df, "
            f"p = {self.p_value:.4f}): {verdict} at alpha = {self.alpha:g}"
        )


def pearson(
    values: Sequence[float], variances: Sequence[float], fitted: Sequence[float], *, params: int = 1
) -> Dispersion:
    """Dispersion of ``values`` around ``fitted``, each with its sampling variance.

    X^2 = sum (y_i - fitted_i)^2 / var_i on m - ``params`` degrees of freedom: the
    Pearson scale estimate of quasi-likelihood (what statsmodels calls ``scale='X2'``).

    References
    ----------
    Wedderburn, R. W. M. (1974). Quasi-likelihood functions, generalized linear models,
    and the Gauss-Newton method. *Biometrika* 61(3), 439-447. McCullagh, P. and Nelder,
    J. A. (1989). *Generalized Linear Models*, 2nd ed., section 4.5.

    Examples
    --------
    >>> d = pearson([1.0, 3.0, 2.0], [0.5, 0.5, 0.5], [2.0, 2.0, 2.0])
    >>> d.ratio, d.df
    (2.0, 2)
    """
    if not len(values) == len(variances) == len(fitted):
        raise ValueError("values, variances and fitted must have the same length")
    if any(v <= 0 for v in variances):
        raise ValueError("variances must be positive")
    df = len(values) - params
    chi2 = sum((y - f) ** 2 / v for y, f, v in zip(values, fitted, variances, strict=True))
    if df <= 0:
        return Dispersion(math.nan, chi2, 0, 1.0)
    return Dispersion(chi2 / df, chi2, df, float(stats.chi2.sf(chi2, df)))


def proportions(successes: Sequence[int], totals: Sequence[int]) -> Dispersion:
    """Dispersion of k_i / n_i around the pooled share: X^2 = sum (k_i - n_i p)^2 / (n_i p (1 - p)).

    Periods with n_i = 0 are left out. It equals the Pearson scale of a binomial GLM
    with one intercept fitted to the grouped counts.

    References
    ----------
    McCullagh and Nelder (1989), section 4.5.1; Laney, D. B. (2002). Improved control
    charts for attributes. *Quality Engineering* 14(4), 531-537.

    Examples
    --------
    >>> round(proportions([10, 30, 20], [100, 100, 100]).ratio, 2)
    6.25
    """
    pairs = _checked(successes, totals)
    n_all = sum(n for _, n in pairs)
    p = sum(k for k, _ in pairs) / n_all
    if p in (0.0, 1.0):
        return flat(len(pairs))
    return pearson([k / n for k, n in pairs], [p * (1 - p) / n for _, n in pairs], [p] * len(pairs))


def flat(periods: int) -> Dispersion:
    """No variation at all (every answer alike): ratio 0, never overdispersed."""
    return Dispersion(0.0, 0.0, max(periods - 1, 0), 1.0)


def nps(counts: Sequence[Sequence[int]]) -> Dispersion:
    """Dispersion of each period's NPS around the pooled NPS, from length-11 score counts.

    A period's NPS (a fraction) has variance (p+ + p- - (p+ - p-)^2) / n_i under
    multinomial sampling, with the pooled shares p+ (9-10) and p- (0-6).

    References
    ----------
    McCullagh and Nelder (1989), section 4.5; Laney (2002).

    Examples
    --------
    >>> month = [5, 0, 0, 0, 0, 0, 5, 0, 20, 0, 20]
    >>> round(nps([month, month, month]).ratio, 6)
    0.0
    """
    values, variances, _, centre = nps_parts(counts)
    return pearson(values, variances, [centre] * len(values))


def nps_parts(counts: Sequence[Sequence[int]]) -> tuple[list[float], list[float], list[int], float]:
    """Per period (with answers): NPS as a fraction, its pooled-mix variance, n; and the pooled NPS."""
    if any(len(c) != 11 for c in counts):
        raise ValueError("counts must be one length-11 vector (scores 0-10) per period")
    if any(x < 0 for c in counts for x in c):
        raise ValueError("counts must not be negative")
    kept = [c for c in counts if sum(c) > 0]
    n_all = sum(sum(c) for c in kept)
    if n_all == 0:
        raise ValueError("no observations")
    pro = sum(sum(c[9:]) for c in kept) / n_all
    det = sum(sum(c[:7]) for c in kept) / n_all
    centre = pro - det
    unit = pro + det - centre**2
    ns = [sum(c) for c in kept]
    values = [(sum(c[9:]) - sum(c[:7])) / n for c, n in zip(kept, ns, strict=True)]
    # One answer category only: no sampling variance; a tiny floor keeps the ratio defined (0).
    unit = max(unit, 1e-12)
    return values, [unit / n for n in ns], ns, centre


def of_estimates(estimates: Sequence[Any]) -> Dispersion | None:
    """Dispersion of period estimates (any metric) around their inverse-variance weighted mean.

    Each estimate's own standard error gives its sampling variance, so this works for
    NPS, percentages and means alike. ``None`` with fewer than three usable periods.

    References
    ----------
    McCullagh and Nelder (1989), section 4.5; the same X^2 as Cochran's Q in a
    meta-analysis (DerSimonian, R. and Laird, N. (1986). *Controlled Clinical Trials* 7, 177-188).

    Examples
    --------
    >>> from analysis import proportion
    >>> d = of_estimates([proportion(k, 400) for k in (200, 260, 190, 250)])
    >>> round(d.ratio, 1), d.overdispersed
    (12.9, True)
    """
    usable = [e for e in estimates if e is not None and e.se]
    if len(usable) < 3:
        return None
    w = [1 / e.se**2 for e in usable]
    mean = sum(wi * e.value for wi, e in zip(w, usable, strict=True)) / sum(w)
    return pearson([e.value for e in usable], [e.se**2 for e in usable], [mean] * len(usable))


def sigma_z(values: Sequence[float], centre: float, sds: Sequence[float], *, robust: bool = False) -> float:
    """Laney's sigma_z: the average moving range of z_i = (y_i - centre) / sd_i, over d2 = 1.128.

    1 under pure sampling variation; above 1 the periods vary more than their n allow.
    ``robust`` takes the median moving range over 0.954 instead (Wheeler and Chambers), which
    one unusual period barely moves: its two large moving ranges are two of many.

    References
    ----------
    Laney, D. B. (2002). Improved control charts for attributes. *Quality Engineering*
    14(4), 531-537.

    Examples
    --------
    >>> round(sigma_z([0.1, 0.3, 0.1], 0.2, [0.1, 0.1, 0.1]), 3)
    1.773
    """
    if len(values) != len(sds) or len(values) < 2:
        raise ValueError("sigma_z needs at least two values, each with its standard deviation")
    z = [(y - centre) / s for y, s in zip(values, sds, strict=True)]
    ranges = [abs(b - a) for a, b in itertools.pairwise(z)]
    if robust:
        return statistics.median(ranges) / D4_MEDIAN
    return sum(ranges) / len(ranges) / D2


def widen(comparison: Comparison, found: Dispersion, *, alpha: float | None = None) -> Comparison:
    """A comparison of two periods under quasi-likelihood: each variance times max(1, ratio).

    The statistic shrinks by sqrt(phi): p' = 2 (1 - Phi(Phi^-1(1 - p / 2) / sqrt(phi))), and
    the interval's two arms (from the point difference, or from the centre of a symmetric
    interval) grow by sqrt(phi). Exact for the z tests (NPS), the usual large-sample
    scaling for Newcombe's interval and Welch's t. ``found`` comes from the series the two
    periods belong to. Returns the comparison unchanged when phi <= 1.

    References
    ----------
    McCullagh and Nelder (1989), section 4.5: the Pearson scale multiplies every variance.

    Examples
    --------
    >>> from analysis import compare, proportion
    >>> c = compare(proportion(60, 100), proportion(45, 100))
    >>> w = widen(c, Dispersion(ratio=2.0, chi2=20.0, df=10, p_value=0.03))
    >>> c.significant, w.significant, round(w.high - w.low, 1) > round(c.high - c.low, 1)
    (True, False, True)
    """
    phi = found.scale
    if phi <= 1:
        return comparison
    root = math.sqrt(phi)
    z = float(stats.norm.isf(comparison.p_value / 2)) if comparison.p_value > 0 else math.inf
    p = float(2 * stats.norm.sf(z / root))
    symmetric = comparison.metric == "nps" or comparison.method.startswith("Welch")
    centre = (comparison.low + comparison.high) / 2 if symmetric else comparison.difference
    alpha = 1 - comparison.confidence if alpha is None else alpha
    return dataclasses.replace(
        comparison,
        low=centre - root * (centre - comparison.low),
        high=centre + root * (comparison.high - centre),
        p_value=p,
        significant=p < alpha,
        method=f"{comparison.method}; variances times the dispersion ratio {phi:.2f}",
        p_adjusted=None,
    )


def _checked(successes: Sequence[int], totals: Sequence[int]) -> list[tuple[int, int]]:
    if len(successes) != len(totals) or not totals:
        raise ValueError("successes and totals must be non-empty and of equal length")
    if any(n < 0 or k < 0 or k > n for k, n in zip(successes, totals, strict=True)):
        raise ValueError("need 0 <= successes <= totals")
    pairs = [(k, n) for k, n in zip(successes, totals, strict=True) if n > 0]
    if not pairs:
        raise ValueError("no observations")
    return pairs
