"""Early warning: control limits on a metric per period; a point outside them is an alert."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


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


def p_chart(
    periods: Sequence[str], successes: Sequence[int], totals: Sequence[int], *, sigmas: float = 3.0
) -> list[ControlPoint]:
    """Shewhart p-chart in percent: centre p-bar, limits p-bar +- 3 sqrt(p-bar (1 - p-bar) / n_t).

    Use it for CSAT top-box, response rate, or a theme's share of comments.

    References
    ----------
    Montgomery, D. C. (2012). *Introduction to Statistical Quality Control*, 7th ed., section 7.2.
    """
    _same_length(periods, successes, totals)
    total = sum(totals)
    if total <= 0:
        raise ValueError("no observations")
    p = sum(successes) / total
    out = []
    for period, k, n in zip(periods, successes, totals, strict=True):
        if n <= 0:
            continue
        half = sigmas * math.sqrt(p * (1 - p) / n)
        out.append(
            ControlPoint(period, 100 * k / n, n, 100 * p, 100 * max(0.0, p - half), 100 * min(1.0, p + half))
        )
    return out


def nps_chart(
    periods: Sequence[str], counts: Sequence[Sequence[int]], *, sigmas: float = 3.0
) -> list[ControlPoint]:
    """Control chart for NPS: centre the pooled NPS, limits from its per-answer variance and n_t.

    The NPS of n answers has variance (p+ + p- - NPS^2) / n, so the limits are the
    p-chart's logic applied to the difference of two multinomial shares.
    """
    if len(periods) != len(counts):
        raise ValueError("one count vector per period")
    pooled = [sum(c[i] for c in counts) for i in range(11)]
    n_all = sum(pooled)
    if n_all <= 0:
        raise ValueError("no observations")
    pro, det = sum(pooled[9:]) / n_all, sum(pooled[:7]) / n_all
    centre = pro - det
    var = pro + det - centre**2
    out = []
    for period, c in zip(periods, counts, strict=True):
        n = sum(c)
        if n <= 0:
            continue
        value = (sum(c[9:]) - sum(c[:7])) / n
        half = sigmas * math.sqrt(var / n)
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
    return out


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
