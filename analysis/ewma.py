"""EWMA charts for slow drifts: an exponentially weighted moving average against exact limits.

A Shewhart chart (``analysis.control``) looks at each period alone, so a metric that slides
a little every week stays inside its 3-sigma limits while it falls a long way. The EWMA
z_t = lam x_t + (1 - lam) z_(t-1), started at the baseline mean, pools the recent periods
and crosses its limit within a few weeks of a shift of half a standard error.

Periods differ in size, so the limits use the exact variance of z_t for the periods' own n:
Var z_t = lam^2 sigma^2 / n_t + (1 - lam)^2 Var z_(t-1), Var z_0 = 0. With a constant n this
is Lucas & Saccucci's time-varying limit, centre +- L sigma / sqrt(n) sqrt(lam / (2 - lam)
(1 - (1 - lam)^(2t))). A period with fewer than ``min_n`` observations is left out (the
minimum-n gate): it neither moves the average nor counts as a step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
from scipy.signal import lfilter

LAMBDA = 0.2
# Lucas & Saccucci (1990), Table 3: lam 0.2 with L 2.962 gives an in-control ARL of 500
# (asymptotic limits); L 2.86 gives about 370, the Shewhart 3-sigma chart's own ARL.
WIDTH = 2.962
METHOD = "EWMA chart (Roberts 1959), lam and L after Lucas & Saccucci (1990), exact time-varying limits"


@dataclass(frozen=True)
class EwmaPoint:
    """One period: its own value and n, the average so far and its limits (None when gated out)."""

    label: str
    value: float
    n: int
    ewma: float | None
    lower: float | None
    upper: float | None
    shewhart_lower: float | None
    shewhart_upper: float | None

    @property
    def used(self) -> bool:
        return self.ewma is not None

    @property
    def signal(self) -> str | None:
        if self.ewma is None:
            return None
        if self.ewma > self.upper:
            return "above"
        if self.ewma < self.lower:
            return "below"
        return None

    @property
    def shewhart_signal(self) -> str | None:
        if self.ewma is None:
            return None
        if self.value > self.shewhart_upper:
            return "above"
        if self.value < self.shewhart_lower:
            return "below"
        return None


@dataclass(frozen=True)
class EwmaChart:
    """The chart: every period, with the baseline and settings that made its limits."""

    points: tuple[EwmaPoint, ...]
    centre: float
    sigma: float
    lam: float
    width: float
    min_n: int
    method: str = METHOD

    @property
    def used(self) -> list[EwmaPoint]:
        return [p for p in self.points if p.used]

    @property
    def latest(self) -> EwmaPoint | None:
        used = self.used
        return used[-1] if used else None

    def drift(self, direction: str) -> bool:
        """The latest period's average is beyond its limit on ``direction``'s side ("above" or
        "below") while no period on the chart was beyond its own 3-sigma Shewhart limit."""
        latest = self.latest
        return (
            latest is not None
            and latest.signal == direction
            and not any(p.shewhart_signal == direction for p in self.used)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre,
            "sigma": self.sigma,
            "lam": self.lam,
            "width": self.width,
            "min_n": self.min_n,
            "method": self.method,
            "points": [
                {
                    "label": p.label,
                    "value": p.value,
                    "n": p.n,
                    "ewma": p.ewma,
                    "lower": p.lower,
                    "upper": p.upper,
                    "signal": p.signal,
                }
                for p in self.points
            ],
        }


def limit_factor(t: int | np.ndarray, lam: float = LAMBDA) -> float | np.ndarray:
    """sqrt(lam / (2 - lam) (1 - (1 - lam)^(2t))): the limit's half-width in units of L sigma.

    References
    ----------
    Lucas, J. M. & Saccucci, M. S. (1990). Exponentially weighted moving average control
    schemes: properties and enhancements. *Technometrics* 32(1), 1-12.

    Examples
    --------
    >>> round(float(limit_factor(1, 0.2)), 4), round(float(limit_factor(10**6, 0.2)), 4)
    (0.2, 0.3333)
    """
    _check_lam(lam)
    return np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * np.asarray(t, dtype=float))))


def statistic(
    values: np.ndarray, n: np.ndarray, *, centre: float, sigma: float, lam: float = LAMBDA
) -> tuple[np.ndarray, np.ndarray]:
    """The EWMA z_t and its exact standard deviation along the last axis of ``values``.

    ``n`` holds each period's number of observations (broadcast against ``values``); sigma
    is the standard deviation of one observation, so a period's mean has sigma / sqrt(n_t).
    Works on a matrix of runs at once, which keeps run-length simulations fast.

    References
    ----------
    Roberts, S. W. (1959). Control chart tests based on geometric moving averages.
    *Technometrics* 1(3), 239-250.

    Examples
    --------
    >>> z, sd = statistic(np.array([1.0, 1.0]), np.array([1, 1]), centre=0.0, sigma=1.0, lam=0.5)
    >>> z.tolist(), sd.round(4).tolist()
    ([0.5, 0.75], [0.5, 0.559])
    """
    _check_lam(lam)
    if not sigma > 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(values, dtype=float)
    counts = np.broadcast_to(np.asarray(n, dtype=float), x.shape)
    if (counts <= 0).any():
        raise ValueError("n must be positive")
    shape = (*x.shape[:-1], 1)
    z = lfilter([lam], [1.0, -(1 - lam)], x, axis=-1, zi=np.full(shape, (1 - lam) * centre))[0]
    var = lfilter([lam**2], [1.0, -((1 - lam) ** 2)], sigma**2 / counts, axis=-1)
    return z, np.sqrt(var)


def chart(
    values: Sequence[float],
    n: Sequence[int],
    *,
    centre: float,
    sigma: float,
    lam: float = LAMBDA,
    width: float = WIDTH,
    min_n: int = 1,
    labels: Sequence[str] | None = None,
    shewhart: float = 3.0,
) -> EwmaChart:
    """EWMA chart of per-period means ``values`` (each over ``n`` observations) against a baseline.

    ``centre`` and ``sigma`` come from a baseline (phase I) period: its mean and the standard
    deviation of one observation (for a share p, sqrt(p (1 - p)); for NPS, sqrt(p+ + p- -
    NPS^2)). Periods with n below ``min_n`` are gated out. Each used period also gets its
    Shewhart limits, centre +- ``shewhart`` sigma / sqrt(n_t), so `EwmaChart.drift` can name
    a drift that those limits miss.

    References
    ----------
    Roberts, S. W. (1959). Control chart tests based on geometric moving averages.
    *Technometrics* 1(3), 239-250.
    Lucas, J. M. & Saccucci, M. S. (1990). Exponentially weighted moving average control
    schemes: properties and enhancements. *Technometrics* 32(1), 1-12.

    Examples
    --------
    A share of 10% creeping up by half a point a week, 400 comments a week:

    >>> c = chart([0.12, 0.125, 0.13, 0.135, 0.135], [400] * 5, centre=0.1, sigma=0.3)
    >>> [p.signal for p in c.points], [p.shewhart_signal for p in c.points]
    ([None, None, None, 'above', 'above'], [None, None, None, None, None])
    >>> c.drift("above")
    True
    """
    if len(values) != len(n) or (labels is not None and len(labels) != len(values)):
        raise ValueError("values, n and labels must have the same length")
    if not width > 0 or not shewhart > 0:
        raise ValueError("width and shewhart must be positive")
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    names = [str(x) for x in labels] if labels is not None else [str(i) for i in range(len(values))]
    keep = [i for i, k in enumerate(n) if k >= min_n]
    z, sd = (
        statistic(
            np.array([values[i] for i in keep]),
            np.array([n[i] for i in keep]),
            centre=centre,
            sigma=sigma,
            lam=lam,
        )
        if keep
        else (np.zeros(0), np.zeros(0))
    )
    at = {i: j for j, i in enumerate(keep)}
    points = []
    for i, (x, k) in enumerate(zip(values, n, strict=True)):
        if i not in at:
            points.append(EwmaPoint(names[i], float(x), int(k), None, None, None, None, None))
            continue
        j = at[i]
        own = shewhart * sigma / math.sqrt(k)
        half = width * float(sd[j])
        points.append(
            EwmaPoint(
                names[i],
                float(x),
                int(k),
                float(z[j]),
                centre - half,
                centre + half,
                centre - own,
                centre + own,
            )
        )
    return EwmaChart(tuple(points), float(centre), float(sigma), lam, width, min_n)


def width_for(cells: int, *, family_alpha: float = 0.05, floor: float = WIDTH) -> float:
    """L for ``cells`` one-sided charts read once per run, so that the chance of any false
    alarm in a run stays at or below ``family_alpha`` (Šidák), and never narrower than ``floor``.

    Under control z_t / sd_t is standard normal at every t, so one chart read at its latest
    period alarms falsely with probability 1 - Phi(L); Šidák's per-cell level
    1 - (1 - family_alpha)^(1 / cells) bounds the family-wise rate for independent cells and
    is close to Bonferroni's otherwise.

    References
    ----------
    Šidák, Z. (1967). Rectangular confidence regions for the means of multivariate normal
    distributions. *Journal of the American Statistical Association* 62, 626-633.

    Examples
    --------
    >>> width_for(1), round(width_for(40), 3)
    (2.962, 3.016)
    """
    if cells < 1:
        raise ValueError("cells must be at least 1")
    if not 0 < family_alpha < 1:
        raise ValueError("family_alpha must be in (0, 1)")
    per_cell = 1 - (1 - family_alpha) ** (1 / cells)
    return max(floor, NormalDist().inv_cdf(1 - per_cell))


def per_cell_alpha(width: float) -> float:
    """The one-sided false-alarm chance of one chart read once at limit ``width``: 1 - Phi(L).

    Examples
    --------
    >>> round(per_cell_alpha(3.0), 5)
    0.00135
    """
    return 1 - NormalDist().cdf(width)


def _check_lam(lam: float) -> None:
    if not 0 < lam <= 1:
        raise ValueError("lam must be in (0, 1]")
