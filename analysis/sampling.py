"""Sample size, margin of error and minimum detectable difference, for proportions and NPS."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats

from analysis.estimates import check_confidence, fpc, z_value

METRICS = ("proportion", "nps")


def unit_variance(metric: str, p: float = 0.5, mix: Sequence[float] | None = None) -> float:
    """Variance of one answer, as a fraction: p(1-p) for a proportion, p+ + p- - (p+ - p-)^2 for NPS.

    For NPS ``mix`` is (promoter share, detractor share); None means the worst case,
    half promoters and half detractors, where the variance reaches 1.
    """
    if metric == "proportion":
        if not 0 <= p <= 1:
            raise ValueError(f"p must be between 0 and 1, got {p!r}")
        return p * (1 - p)
    if metric == "nps":
        if mix is None:
            return 1.0
        if len(mix) != 2:
            raise ValueError("mix must be (promoter share, detractor share)")
        pro, det = mix
        if pro < 0 or det < 0 or pro + det > 1:
            raise ValueError("mix shares must be non-negative and sum to at most 1")
        return pro + det - (pro - det) ** 2
    raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")


def _unit_scale(metric: str) -> float:
    return 100.0  # proportions in percentage points, NPS in points


def margin_of_error(
    n: int,
    *,
    confidence: float = 0.95,
    population: int | None = None,
    metric: str = "proportion",
    p: float = 0.5,
    mix: Sequence[float] | None = None,
) -> float:
    """Half-width of the normal-approximation interval, in percentage points (or NPS points).

    References
    ----------
    Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., eqs. 4.1-4.2.

    Examples
    --------
    >>> round(margin_of_error(1000, population=500_000), 2)
    3.1
    >>> round(margin_of_error(400, metric="nps"), 1)
    9.8
    """
    check_confidence(confidence)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n!r}")
    var = unit_variance(metric, p, mix)
    return _unit_scale(metric) * z_value(confidence) * math.sqrt(var / n) * fpc(n, population)


def sample_size(
    margin: float,
    *,
    confidence: float = 0.95,
    population: int | None = None,
    metric: str = "proportion",
    p: float = 0.5,
    mix: Sequence[float] | None = None,
) -> int:
    """Responses needed for a margin of +-``margin`` (percentage points, or NPS points).

    n0 = z^2 var / e^2, then n = n0 / (1 + (n0 - 1) / N) for a population of N.

    References
    ----------
    Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., eqs. 4.2 and 4.3.

    Examples
    --------
    >>> sample_size(5, population=500_000), sample_size(5, population=1_000)
    (384, 278)
    """
    if not margin > 0:
        raise ValueError(f"margin must be positive, got {margin!r}")
    var = unit_variance(metric, p, mix)
    e = margin / _unit_scale(metric)
    n0 = z_value(confidence) ** 2 * var / e**2
    if population is not None:
        if population < 1:
            raise ValueError("population must be a positive integer")
        n0 = n0 / (1 + (n0 - 1) / population)
        return min(population, math.ceil(n0 - 1e-9))
    return math.ceil(n0 - 1e-9)


def invitations_needed(responses: int, response_rate: float) -> int:
    """Invitations to send for ``responses`` answers at a response rate in percent."""
    if not 0 < response_rate <= 100:
        raise ValueError("response_rate must be a percentage above 0")
    return math.ceil(responses / (response_rate / 100))


def minimum_detectable_difference(
    n_a: int,
    n_b: int | None = None,
    *,
    confidence: float = 0.95,
    power: float = 0.8,
    metric: str = "proportion",
    p: float = 0.5,
    mix: Sequence[float] | None = None,
) -> float:
    """Smallest true difference a two-sided test detects with ``power``, in the metric's unit.

    MDD = (z_(1-alpha/2) + z_power) * sqrt(var/n_a + var/n_b).

    Examples
    --------
    >>> round(minimum_detectable_difference(500, metric="nps"), 1)
    17.7
    """
    check_confidence(confidence)
    if not 0 < power < 1:
        raise ValueError("power must be between 0 and 1")
    n_b = n_a if n_b is None else n_b
    if n_a < 1 or n_b < 1:
        raise ValueError("sample sizes must be at least 1")
    var = unit_variance(metric, p, mix)
    z = z_value(confidence) + float(stats.norm.ppf(power))
    return _unit_scale(metric) * z * math.sqrt(var / n_a + var / n_b)
