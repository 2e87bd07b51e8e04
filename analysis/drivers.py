"""What goes with a high score? Regression of the outcome on attribute ratings. Association, not cause."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm

CAUTION = (
    "Association, not cause: these ratings move together with the outcome in this sample. "
    "They do not show that changing one would change the other."
)


@dataclass(frozen=True)
class Driver:
    attribute: str
    coefficient: float
    low: float
    high: float
    p_value: float
    importance: float  # share of the explained variance (LMG / Shapley decomposition of R^2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "coefficient": round(self.coefficient, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "p_value": round(self.p_value, 6),
            "importance": round(self.importance, 4),
        }


@dataclass(frozen=True)
class DriverAnalysis:
    outcome: str
    n: int
    dropped: int
    r_squared: float
    drivers: tuple[Driver, ...]
    method: str = "OLS with HC3 robust standard errors; importance by LMG (Shapley) decomposition of R^2"
    caution: str = CAUTION

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "n": self.n,
            "dropped": self.dropped,
            "r_squared": round(self.r_squared, 4),
            "drivers": [d.to_dict() for d in self.drivers],
            "method": self.method,
            "caution": self.caution,
        }

    def summary(self) -> str:
        lines = [
            f"Drivers of {self.outcome} (n = {self.n}, {self.dropped} incomplete rows left out, "
            f"R^2 = {self.r_squared:.3f})",
            "=" * 72,
            f"{'attribute':<14}{'coef':>9}{'95% CI':>22}{'p':>10}{'importance':>12}",
        ]
        for d in self.drivers:
            lines.append(
                f"{d.attribute:<14}{d.coefficient:>9.3f}   [{d.low:>7.3f}, {d.high:>7.3f}]"
                f"{d.p_value:>10.4f}{d.importance:>11.1%}"
            )
        lines += ["=" * 72, self.method, self.caution]
        return "\n".join(lines)


def drivers(
    outcome: Sequence[float],
    ratings: Mapping[str, Sequence[float | None]],
    *,
    outcome_name: str = "score",
    confidence: float = 0.95,
    max_lmg_attributes: int = 10,
) -> DriverAnalysis:
    """Relate an outcome (e.g. the 0-10 NPS score) to attribute ratings, rows with gaps left out.

    References
    ----------
    White, H. (1980) and MacKinnon, J. G. and White, H. (1985) for HC3 errors;
    Lindeman, Merenda and Gold (1980) and Groemping, U. (2006), *J. Stat. Software*
    17(1), for the LMG relative importance.
    """
    names = list(ratings)
    if not names:
        raise ValueError("give at least one attribute")
    if len(names) > max_lmg_attributes:
        raise ValueError(f"at most {max_lmg_attributes} attributes (LMG needs every subset)")
    y = np.asarray(outcome, dtype=float)
    cols = [np.asarray([np.nan if v is None else v for v in ratings[k]], dtype=float) for k in names]
    if any(len(c) != len(y) for c in cols):
        raise ValueError("every rating needs one value per outcome")
    x = np.column_stack(cols)
    keep = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    y, x = y[keep], x[keep]
    n = int(keep.sum())
    if n < len(names) + 10:
        raise ValueError(f"too few complete rows ({n}) for {len(names)} attributes")
    fit = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit(cov_type="HC3")
    ci = fit.conf_int(alpha=1 - confidence)
    shares = _lmg(y, x)
    found = tuple(
        Driver(
            name,
            float(fit.params[i + 1]),
            float(ci[i + 1][0]),
            float(ci[i + 1][1]),
            float(fit.pvalues[i + 1]),
            shares[i],
        )
        for i, name in enumerate(names)
    )
    found = tuple(sorted(found, key=lambda d: d.importance, reverse=True))
    return DriverAnalysis(outcome_name, n, int((~keep).sum()), float(fit.rsquared), found)


def _r2(y: np.ndarray, x: np.ndarray) -> float:
    if x.shape[1] == 0:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ beta
    total = ((y - y.mean()) ** 2).sum()
    return float(1 - (resid**2).sum() / total) if total > 0 else 0.0


def _lmg(y: np.ndarray, x: np.ndarray) -> list[float]:
    """Average gain in R^2 from adding each variable, over every order (Shapley values)."""
    k = x.shape[1]
    cache = {(): 0.0}
    for size in range(1, k + 1):
        for subset in itertools.combinations(range(k), size):
            cache[subset] = _r2(y, x[:, subset])
    gains = [0.0] * k
    for j in range(k):
        others = [i for i in range(k) if i != j]
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for subset in itertools.combinations(others, size):
                with_j = tuple(sorted((*subset, j)))
                gains[j] += weight * (cache[with_j] - cache[subset])
    total = sum(gains)
    return [g / total if total > 0 else 0.0 for g in gains]
