"""Early warning: control limits on a metric per period; a point outside them is an alert."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis import dispersion as disp
from analysis.dispersion import Dispersion


@dataclass(frozen=True)
class ControlPoint:
    period: str
    value: float
    n: int
    centre: float
    lower: float
    upper: float

    @property
    def signal(self) -> str | None:
        if self.value > self.upper:
            return "above"
        if self.value < self.lower:
            return "below"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "value": round(self.value, 3),
            "n": self.n,
            "centre": round(self.centre, 3),
            "lower": round(self.lower, 3),
            "upper": round(self.upper, 3),
            "signal": self.signal,
        }


class ControlChart(list):
    """A chart's points (a list of ControlPoint, as before) and how its limits were set.

    ``limits`` is "shewhart" (pure sampling variation) or "laney" (widened by
    ``sigma_z``); ``dispersion`` is the Pearson dispersion ratio across the periods, and
    ``screened`` the same across the periods inside Shewhart's limits, which the rule tests.
    """

    def __init__(
        self,
        points: list[ControlPoint],
        *,
        limits: str,
        dispersion: Dispersion,
        sigma_z: float,
        screened: Dispersion | None = None,
    ):
        super().__init__(points)
        self.limits = limits
        self.dispersion = dispersion
        self.sigma_z = sigma_z
        self.screened = dispersion if screened is None else screened

    @property
    def method(self) -> str:
        if self.limits == "laney":
            return f"Laney chart: 3-sigma limits widened by sigma_z = {self.sigma_z:.2f} (Laney 2002)"
        return "Shewhart chart, 3-sigma limits from the pooled rate and each period's n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "limits": self.limits,
            "sigma_z": round(self.sigma_z, 4),
            "dispersion": self.dispersion.to_dict(),
            "dispersion_within_limits": self.screened.to_dict(),
            "rule": disp.RULE,
            "method": self.method,
        }


def p_chart(
    periods: Sequence[str],
    successes: Sequence[int],
    totals: Sequence[int],
    *,
    sigmas: float = 3.0,
    laney: bool | None = None,
) -> ControlChart:
    """p-chart in percent: centre p-bar, limits p-bar +- 3 sigma_z sqrt(p-bar (1 - p-bar) / n_t).

    Use it for CSAT top-box, response rate, or a theme's share of comments. Shewhart's
    chart has sigma_z = 1. When the periods vary more than their n allow (``laney=None``,
    the default: the Pearson dispersion test of ``analysis.dispersion`` at alpha = 0.2 on
    the periods inside Shewhart's limits, and sigma_z > 1), the limits become Laney's p'
    limits, with sigma_z from the median moving range of the z-scores (robust to the one
    unusual period the chart is there to catch); ``laney=True`` or ``False`` forces either.

    References
    ----------
    Montgomery, D. C. (2012). *Introduction to Statistical Quality Control*, 7th ed.,
    section 7.2. Laney, D. B. (2002). Improved control charts for attributes. *Quality
    Engineering* 14(4), 531-537. Wheeler, D. J. and Chambers, D. S. (1992). *Understanding
    Statistical Process Control*, 2nd ed. (the median moving range, 0.954).

    Examples
    --------
    >>> chart = p_chart(["a", "b", "c", "d"], [10, 30, 12, 28], [100, 100, 100, 100])
    >>> chart.limits, round(chart.sigma_z, 2), round(chart[0].upper, 1)
    ('laney', 4.72, 76.6)
    """
    _same_length(periods, successes, totals)
    if any(n < 0 or k < 0 for k, n in zip(successes, totals, strict=True)):
        raise ValueError("successes and totals must not be negative")
    total = sum(totals)
    if total <= 0:
        raise ValueError("no observations")
    p = sum(successes) / total
    kept = [(t, k, n) for t, k, n in zip(periods, successes, totals, strict=True) if n > 0]
    sds = [math.sqrt(p * (1 - p) / n) for _, _, n in kept]
    values = [k / n for _, k, n in kept]
    limits, s_z, found, screened = _laney(values, p, sds, laney, sigmas)
    out = []
    for (period, k, n), sd in zip(kept, sds, strict=True):
        half = sigmas * s_z * sd
        out.append(
            ControlPoint(period, 100 * k / n, n, 100 * p, 100 * max(0.0, p - half), 100 * min(1.0, p + half))
        )
    return ControlChart(out, limits=limits, dispersion=found, sigma_z=s_z, screened=screened)


def nps_chart(
    periods: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    sigmas: float = 3.0,
    laney: bool | None = None,
) -> ControlChart:
    """Control chart for NPS: centre the pooled NPS, limits from its per-answer variance and n_t.

    The NPS of n answers has variance (p+ + p- - NPS^2) / n, so the limits are the
    p-chart's logic applied to the difference of two multinomial shares, widened by
    Laney's sigma_z under the same rule as ``p_chart``.

    References
    ----------
    Montgomery (2012), section 7.2; Laney (2002), applied to the NPS's multinomial variance.

    Examples
    --------
    >>> month = [10, 0, 0, 0, 0, 0, 10, 0, 30, 0, 50]
    >>> chart = nps_chart(["a", "b", "c"], [month, month, month])
    >>> chart.limits, round(chart[0].centre, 1), round(chart[0].upper, 1)
    ('shewhart', 30.0, 53.4)
    """
    if len(periods) != len(counts):
        raise ValueError("one count vector per period")
    values, variances, ns, centre = disp.nps_parts(counts)
    sds = [math.sqrt(v) for v in variances]
    limits, s_z, found, screened = _laney(values, centre, sds, laney, sigmas)
    kept = [t for t, c in zip(periods, counts, strict=True) if sum(c) > 0]
    out = []
    for period, value, n, sd in zip(kept, values, ns, sds, strict=True):
        half = sigmas * s_z * sd
        out.append(
            ControlPoint(
                period,
                100 * value,
                n,
                100 * centre,
                100 * max(-1, centre - half),
                100 * min(1, centre + half),
            )
        )
    return ControlChart(out, limits=limits, dispersion=found, sigma_z=s_z, screened=screened)


def _laney(
    values: list[float], centre: float, sds: list[float], laney: bool | None, sigmas: float
) -> tuple[str, float, Dispersion, Dispersion]:
    """Which limits, the sigma_z they use (1 for Shewhart's), and the dispersion of all the
    periods and of those inside Shewhart's limits (the one the rule tests)."""
    if len(values) < 2 or min(sds) <= 0:  # one period, or no variation possible
        found = disp.flat(len(values))
        return ("laney" if laney else "shewhart"), 1.0, found, found
    variances = [sd * sd for sd in sds]
    found = disp.pearson(values, variances, [centre] * len(values))
    # A month with a real cause is not common-cause variation: months beyond Shewhart's limits
    # are left out of the test (Montgomery's revised trial limits), so one spike cannot widen
    # the limits that are meant to catch it.
    inside = [i for i, (y, sd) in enumerate(zip(values, sds, strict=True)) if abs(y - centre) <= sigmas * sd]
    # Their centre is re-estimated too: a spike pulls the pooled rate away from the other months.
    kept_v, kept_var = [values[i] for i in inside], [variances[i] for i in inside]
    if len(inside) >= 2:
        kept_centre = sum(y / v for y, v in zip(kept_v, kept_var, strict=True)) / sum(1 / v for v in kept_var)
        screened = disp.pearson(kept_v, kept_var, [kept_centre] * len(inside))
    else:
        screened = disp.flat(len(inside))
    # sigma_z from the median moving range: a spike's two large moving ranges would widen the
    # limits around itself through their average.
    s_z = disp.sigma_z(values, centre, sds, robust=True)
    use = (screened.overdispersed and s_z > 1) if laney is None else laney
    return ("laney", s_z, found, screened) if use else ("shewhart", 1.0, found, screened)


def ewma(
    periods: Sequence[str],
    values: Sequence[float],
    sigma: float,
    *,
    lam: float = 0.2,
    width: float = 3.0,
    target: float | None = None,
) -> list[ControlPoint]:
    """EWMA chart: z_t = lam x_t + (1 - lam) z_(t-1), with time-varying limits.

    Limits: target +- L sigma sqrt(lam / (2 - lam) (1 - (1 - lam)^(2t))). Sensitive to
    small sustained shifts that a Shewhart chart misses.

    References
    ----------
    Roberts, S. W. (1959). Control chart tests based on geometric moving averages.
    *Technometrics* 1, 239-250. Montgomery (2012), section 9.2.
    """
    _same_length(periods, values, values)
    if not 0 < lam <= 1:
        raise ValueError("lam must be in (0, 1]")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    centre = sum(values) / len(values) if target is None else target
    z = centre
    out = []
    for t, (period, x) in enumerate(zip(periods, values, strict=True), start=1):
        z = lam * x + (1 - lam) * z
        half = width * sigma * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        out.append(ControlPoint(period, z, 0, centre, centre - half, centre + half))
    return out


def _same_length(*seqs: Sequence) -> None:
    if len({len(s) for s in seqs}) != 1 or not seqs[0]:
        raise ValueError("periods and values must be non-empty and of equal length")
