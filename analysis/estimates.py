"""Result objects shared by every estimator: an estimate with its interval."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from scipy import stats


@lru_cache(maxsize=64)
def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for ``confidence``."""
    check_confidence(confidence)
    return float(stats.norm.ppf(0.5 + confidence / 2))


def check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")


def fpc(n: int, population: int | None) -> float:
    """Finite population correction factor sqrt((N - n) / (N - 1)) for the standard error.

    Cochran (1977), *Sampling Techniques*, 3rd ed., eq. 2.12. ``None`` means an
    infinite population (factor 1). It holds only for a random sample of a frame of
    N; self-selected respondents among N invitees are not one, so pass ``None`` then.
    """
    if population is None:
        return 1.0
    if population < 1:
        raise ValueError(f"population must be a positive integer, got {population!r}")
    if n > population:
        raise ValueError(f"population ({population}) is smaller than the sample ({n})")
    if population == 1:
        return 0.0
    return math.sqrt((population - n) / (population - 1))


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval, in the metric's own unit.

    Attributes follow the shape of scipy/statsmodels results: ``value``, ``low``,
    ``high``, ``n``, ``confidence`` and the ``method`` that produced the interval.
    ``details`` carries metric-specific counts (promoters, passives, detractors...).
    """

    metric: str
    value: float
    low: float
    high: float
    n: int
    confidence: float
    method: str
    unit: str = ""
    population: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    se: float | None = None  # standard error of ``value``, in the metric's unit
    n_effective: float | None = None  # Kish's effective n, for an estimate with survey weights
    weighted: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    @property
    def margin(self) -> float:
        """Half the interval's width (the interval may be asymmetric)."""
        return (self.high - self.low) / 2

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": _round(self.value),
            "low": _round(self.low),
            "high": _round(self.high),
            "n": self.n,
            "confidence": self.confidence,
            "method": self.method,
        }
        if self.population is not None:
            out["population"] = self.population
        if self.weighted:
            out["weighted"] = True
            out["n_effective"] = None if self.n_effective is None else round(self.n_effective, 1)
        out.update(self.details)
        return out

    def summary(self) -> str:
        """A short statsmodels-style text block."""
        pct = f"{self.confidence:.0%}"
        unit = f" {self.unit}" if self.unit else ""
        lines = [
            f"{self.metric.upper()} estimate",
            "=" * 44,
            f"value            {self.value:10.2f}{unit}",
            f"{pct} interval     [{self.low:.2f}, {self.high:.2f}]",
            f"n                {self.n:10d}",
        ]
        if self.n_effective is not None:
            lines.append(f"effective n      {self.n_effective:10.1f}  (Kish)")
        if self.population is not None:
            lines.append(f"population       {self.population:10d}  (finite population corrected)")
        for key, val in self.details.items():
            lines.append(f"{key:<16} {val!s:>10}")
        lines += [f"method           {self.method}", "=" * 44]
        return "\n".join(lines)

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.metric.upper()} {self.value:.1f}{unit} "
            f"({self.confidence:.0%} CI {self.low:.1f} to {self.high:.1f}, n={self.n})"
        )


def _round(x: float) -> float:
    return round(float(x), 4)


def effective_n(n: int, population: int | None) -> float:
    """The sample size that gives the same variance without a finite population correction."""
    factor = fpc(n, population)
    return math.inf if factor == 0 else n / factor**2


def check_counts(counts: Any, length: int, name: str = "counts") -> Any:
    import numpy as np

    c = np.asarray(counts)
    if c.shape != (length,):
        raise ValueError(f"{name} must have {length} entries, got shape {c.shape}")
    if (c < 0).any() or not np.all(np.equal(np.mod(c, 1), 0)):
        raise ValueError(f"{name} must be non-negative whole numbers")
    return c.astype(np.int64)


def check_scores(scores: Any, low: int, high: int, name: str = "scores") -> Any:
    import numpy as np

    s = np.asarray(scores)
    if s.size and (not np.all(np.equal(np.mod(s, 1), 0)) or s.min() < low or s.max() > high):
        raise ValueError(f"{name} must be whole numbers from {low} to {high}")
    return s.astype(np.int64)
