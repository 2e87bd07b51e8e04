"""The 0-10 outcome as ordered categories: a proportional-odds (ordinal logit) model beside OLS.

OLS treats the step from 6 to 7 like the step from 9 to 10; the proportional-odds model only
assumes the scores are ordered. Its odds ratio per attribute reads: one point more on the
attribute multiplies the odds of a higher score (above any cut point) by this much.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

MAX_LEVELS = 21  # a 0-10 or 1-7 score; beyond that each cut point rests on too few answers
METHOD = "proportional-odds logit (statsmodels OrderedModel, McCullagh 1980); Wald intervals"


@dataclass(frozen=True)
class OddsRatio:
    attribute: str
    odds_ratio: float
    low: float
    high: float
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        def r(x: float) -> float | None:
            return None if not math.isfinite(x) else round(x, 4)

        return {
            "attribute": self.attribute,
            "odds_ratio": r(self.odds_ratio),
            "low": r(self.low),
            "high": r(self.high),
            "p_value": None if not math.isfinite(self.p_value) else round(self.p_value, 6),
        }


@dataclass(frozen=True)
class OrdinalDrivers:
    n: int
    categories: int
    odds_ratios: tuple[OddsRatio, ...]
    converged: bool
    method: str = METHOD

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "categories": self.categories,
            "odds_ratios": [o.to_dict() for o in self.odds_ratios],
            "converged": self.converged,
            "method": self.method,
        }

    def summary(self) -> str:
        lines = [f"Ordinal model: {self.method}; {self.categories} score levels, n = {self.n}"]
        for o in self.odds_ratios:
            lines.append(
                f"  {o.attribute:<14} odds ratio {o.odds_ratio:7.3f}  [{o.low:7.3f}, {o.high:7.3f}]"
                f"  p {o.p_value:.4f}"
            )
        if not self.converged:
            lines.append("  The fit did not converge; read these odds ratios as rough.")
        return "\n".join(lines)


class _Counted(OrderedModel):
    """OrderedModel on distinct rows with frequency weights: the same likelihood as the
    expanded rows, at the cost of the distinct ones."""

    def __init__(self, endog, exog, freq, **kwds):
        self.freq = np.asarray(freq, dtype=float)
        super().__init__(endog, exog, **kwds)

    def loglike(self, params):
        return float(self.loglikeobs(params) @ self.freq)


def proportional_odds(
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    *,
    freq: np.ndarray | None = None,
    confidence: float = 0.95,
) -> OrdinalDrivers | None:
    """Odds ratios of a higher outcome per point of each predictor, on complete rows.

    The outcome's observed values are the ordered categories. An outcome that is not a
    score (not whole numbers, or more than ``MAX_LEVELS`` values) or has fewer than three
    values gives None: nothing ordinal to model. ``freq`` counts each row (default 1),
    so repeated rows can be passed once. Fitted by maximum likelihood with BFGS.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *JRSS B* 42(2), 109-142.
    Agresti, A. (2010). *Analysis of Ordinal Categorical Data*, 2nd ed., Wiley, ch. 3.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(400, 1))
    >>> y = np.digitize(x[:, 0] + rng.logistic(size=400), [-1.0, 0.0, 1.0])
    >>> fit = proportional_odds(y, x, ["quality"])
    >>> fit.categories, 2.0 < fit.odds_ratios[0].odds_ratio < 3.5
    (4, True)
    """
    levels = np.unique(y)
    if not 3 <= len(levels) <= MAX_LEVELS or not np.array_equal(levels, np.round(levels)):
        return None
    codes = np.searchsorted(levels, y)
    weights = np.ones(len(y)) if freq is None else np.asarray(freq, dtype=float)
    model = _Counted(codes, x, weights, distr="logit")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        warnings.simplefilter("always", HessianInversionWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = model.fit(method="bfgs", disp=False, maxiter=500)
    converged = bool(fit.mle_retvals.get("converged", True)) and not any(
        issubclass(w.category, (ConvergenceWarning, HessianInversionWarning)) for w in caught
    )
    k = x.shape[1]
    params = np.asarray(fit.params)[:k]
    ci = np.asarray(fit.conf_int(alpha=1 - confidence))[:k]
    pvalues = np.asarray(fit.pvalues)[:k]
    ratios = tuple(
        OddsRatio(
            name,
            float(np.exp(params[i])),
            float(np.exp(ci[i, 0])),
            float(np.exp(ci[i, 1])),
            float(pvalues[i]),
        )
        for i, name in enumerate(names)
    )
    return OrdinalDrivers(int(weights.sum()), len(levels), ratios, converged)
