"""What goes with a high score? Regression of the outcome on attribute ratings. Association, not cause."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm

from analysis.drivers_lmg import DEFAULT_BOOTSTRAP, bootstrap_shares, correlations, distinct, lmg_shares, vif
from analysis.drivers_ordinal import OrdinalDrivers, proportional_odds
from analysis.estimates import check_confidence

CAUTION = (
    "Association, not cause: these ratings move together with the outcome in this sample. "
    "They do not show that changing one would change the other."
)
VIF_THRESHOLD = 5.0  # above it a coefficient's interval is more than sqrt(5) = 2.2 times wider
MISSING = ("listwise", "pairwise")
# The ordinal fit's gradient is numerical, one likelihood pass per parameter over the distinct
# rows; beyond this many (continuous ratings, say) it is skipped to keep a report fast.
MAX_ORDINAL_ROWS = 4000


def _r(x: float, digits: int = 4) -> float | None:
    return None if not math.isfinite(x) else round(float(x), digits)


@dataclass(frozen=True)
class Driver:
    attribute: str
    coefficient: float
    low: float
    high: float
    p_value: float
    importance: float  # share of the explained variance (LMG / Shapley decomposition of R^2)
    importance_low: float = math.nan  # percentile bootstrap interval of the share
    importance_high: float = math.nan
    vif: float = math.nan
    collinear: bool = False  # vif above the analysis's threshold
    missing: int = 0  # rows without this rating

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "coefficient": round(self.coefficient, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "p_value": round(self.p_value, 6),
            "importance": round(self.importance, 4),
            "importance_low": _r(self.importance_low),
            "importance_high": _r(self.importance_high),
            "vif": _r(self.vif, 3),
            "collinear": self.collinear,
            "missing": self.missing,
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
    missing: str = "listwise"
    importance_n: int = 0  # rows behind the importance: n, or the smallest pair count (pairwise)
    bootstrap: int = 0
    confidence: float = 0.95
    vif_threshold: float = VIF_THRESHOLD
    ordinal: OrdinalDrivers | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "n": self.n,
            "dropped": self.dropped,
            "r_squared": round(self.r_squared, 4),
            "drivers": [d.to_dict() for d in self.drivers],
            "method": self.method,
            "caution": self.caution,
            "missing": self.missing,
            "importance_n": self.importance_n,
            "bootstrap": self.bootstrap,
            "confidence": self.confidence,
            "vif_threshold": self.vif_threshold,
            "ordinal": self.ordinal.to_dict() if self.ordinal else None,
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        lines = [
            f"Drivers of {self.outcome} (n = {self.n}, {self.dropped} incomplete rows left out, "
            f"R^2 = {self.r_squared:.3f})",
            "=" * 86,
            f"{'attribute':<14}{'coef':>9}{'95% CI':>22}{'p':>10}{'importance':>12}"
            f"{'interval':>14}{'VIF':>7}",
        ]
        for d in self.drivers:
            interval = (
                f"[{d.importance_low:4.0%}, {d.importance_high:4.0%}]"
                if math.isfinite(d.importance_low)
                else ""
            )
            lines.append(
                f"{d.attribute:<14}{d.coefficient:>9.3f}   [{d.low:>7.3f}, {d.high:>7.3f}]"
                f"{d.p_value:>10.4f}{d.importance:>11.1%}{interval:>15}{d.vif:>7.2f}"
                + (" *" if d.collinear else "")
            )
        lines += ["=" * 86, self.method]
        if self.ordinal:
            lines.append(self.ordinal.summary())
        lines += [f"Warning: {w}" for w in self.warnings]
        lines.append(self.caution)
        return "\n".join(lines)


def drivers(
    outcome: Sequence[float],
    ratings: Mapping[str, Sequence[float | None]],
    *,
    outcome_name: str = "score",
    confidence: float = 0.95,
    max_lmg_attributes: int = 10,
    missing: str = "listwise",
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = 0,
    vif_threshold: float = VIF_THRESHOLD,
    ordinal: bool = True,
) -> DriverAnalysis:
    """Relate an outcome (e.g. the 0-10 NPS score) to attribute ratings (None = not rated).

    The coefficients come from OLS with HC3 errors on the complete rows, and, with
    ``ordinal``, from a proportional-odds model as odds ratios (:mod:`analysis.drivers_ordinal`).
    Importance is each attribute's LMG share of R^2, with a percentile bootstrap interval
    from ``bootstrap`` row resamples (0: none), seeded by ``seed``. ``missing="listwise"``
    bases the importance on the complete rows too; ``"pairwise"`` computes it from the
    correlation matrix with each correlation on the rows that have both values, which keeps
    more answers but mixes subsamples. Either way the result counts the rows left out (per
    attribute in ``Driver.missing``) and says so in ``warnings``, which also names every
    attribute whose variance inflation factor exceeds ``vif_threshold``.

    References
    ----------
    White, H. (1980) and MacKinnon, J. G. and White, H. (1985) for HC3 errors.
    Lindeman, R. H., Merenda, P. F. and Gold, R. Z. (1980). *Introduction to Bivariate
    and Multivariate Analysis*, Scott Foresman, p. 119ff (LMG). Groemping, U. (2006).
    Relative importance for linear regression in R: the package relaimpo. *J. Stat.
    Software* 17(1); Groemping, U. (2007). Estimators of relative importance in linear
    regression based on variance decomposition. *The American Statistician* 61(2),
    139-147 (bootstrap intervals). Marquardt (1970) for the VIF.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> q, p = rng.normal(size=300), rng.normal(size=300)
    >>> y = 2 * q + p + rng.normal(size=300)
    >>> r = drivers(y, {"quality": q, "price": p}, bootstrap=50, ordinal=False)
    >>> top = r.drivers[0]
    >>> top.attribute, round(top.importance, 2), round(top.importance_low, 2), round(top.importance_high, 2)
    ('quality', 0.75, 0.67, 0.81)
    """
    check_confidence(confidence)
    names = list(ratings)
    if not names:
        raise ValueError("give at least one attribute")
    if len(names) > max_lmg_attributes:
        raise ValueError(f"at most {max_lmg_attributes} attributes (LMG needs every subset)")
    if missing not in MISSING:
        raise ValueError(f"missing must be one of {', '.join(MISSING)}")
    if bootstrap < 0:
        raise ValueError("bootstrap must be 0 (no interval) or a number of draws")
    if vif_threshold <= 1:
        raise ValueError("vif_threshold must be above 1")
    y = np.asarray([np.nan if v is None else v for v in outcome], dtype=float)
    cols = [np.asarray([np.nan if v is None else v for v in ratings[k]], dtype=float) for k in names]
    if any(len(c) != len(y) for c in cols):
        raise ValueError("every rating needs one value per outcome")
    data = np.column_stack([y, *cols])
    keep = ~np.isnan(data).any(axis=1)
    n, k = int(keep.sum()), len(names)
    if n < k + 10:
        raise ValueError(f"too few complete rows ({n}) for {k} attributes")
    complete = data[keep]
    _check_variation(complete, [outcome_name, *names])
    fit = sm.OLS(complete[:, 0], sm.add_constant(complete[:, 1:], has_constant="add")).fit(cov_type="HC3")
    ci = fit.conf_int(alpha=1 - confidence)
    basis = data[~np.isnan(y)] if missing == "pairwise" else complete
    corr, pairs = correlations(basis)
    if missing == "pairwise" and np.linalg.eigvalsh(corr).min() < -1e-9:
        raise ValueError(
            "the pairwise correlations are inconsistent (not positive semi-definite); use listwise"
        )
    shares = lmg_shares(corr)
    low, high = (
        bootstrap_shares(basis, bootstrap, seed=seed, confidence=confidence)
        if bootstrap
        else (np.full(k, np.nan), np.full(k, np.nan))
    )
    inflation = vif(corr[1:, 1:])
    gaps = [int(np.isnan(c).sum()) for c in cols]
    found = tuple(
        Driver(
            name,
            float(fit.params[i + 1]),
            float(ci[i + 1][0]),
            float(ci[i + 1][1]),
            float(fit.pvalues[i + 1]),
            float(shares[i]),
            float(low[i]),
            float(high[i]),
            float(inflation[i]),
            bool(inflation[i] > vif_threshold),
            gaps[i],
        )
        for i, name in enumerate(names)
    )
    found = tuple(sorted(found, key=lambda d: d.importance, reverse=True))
    method = DriverAnalysis.method
    if missing == "pairwise":
        method += " from pairwise correlations"
    if bootstrap:
        method += f"; {confidence:.0%} percentile bootstrap intervals ({bootstrap} draws, seed {seed})"
    return DriverAnalysis(
        outcome_name,
        n,
        int((~keep).sum()),
        float(fit.rsquared),
        found,
        method=method,
        missing=missing,
        importance_n=int(pairs.min()) if missing == "pairwise" else n,
        bootstrap=bootstrap,
        confidence=confidence,
        vif_threshold=vif_threshold,
        ordinal=_ordinal(complete, names, confidence) if ordinal else None,
        warnings=_warnings(len(y), n, missing, found, vif_threshold),
    )


def _ordinal(complete: np.ndarray, names: list[str], confidence: float) -> OrdinalDrivers | None:
    rows, counts = distinct(complete)
    if len(rows) > MAX_ORDINAL_ROWS:
        return None
    return proportional_odds(rows[:, 0], rows[:, 1:], names, freq=counts, confidence=confidence)


def _check_variation(complete: np.ndarray, labels: list[str]) -> None:
    flat = [labels[i] for i in range(complete.shape[1]) if np.ptp(complete[:, i]) == 0]
    if flat:
        raise ValueError(f"{', '.join(flat)}: no variation in the complete rows, nothing to relate")


def _warnings(
    rows: int, n: int, missing: str, found: tuple[Driver, ...], threshold: float
) -> tuple[str, ...]:
    out = []
    if rows > n:
        gaps = ", ".join(f"{d.attribute} {d.missing}" for d in found if d.missing)
        where = f" (missing ratings: {gaps})" if gaps else ""
        use = (
            "the importance uses every pair of values that is present"
            if missing == "pairwise"
            else "the importance is from the complete rows too"
        )
        out.append(
            f"{rows - n} of {rows} rows lack the outcome or a rating and are left out of the "
            f"coefficients{where}; {use}. If the missing ratings differ from the given ones, "
            "these figures are biased."
        )
    collinear = [f"{d.attribute} ({d.vif:.1f})" for d in found if d.collinear]
    if collinear:
        out.append(
            f"Variance inflation above {threshold:g}: {', '.join(collinear)}. These ratings move "
            "together, so their separate coefficients are unstable; read their importance jointly."
        )
    return tuple(out)
