"""Composition effects: the overall change against the like-for-like change, each with an interval."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import Any

import numpy as np
from scipy import stats

from analysis.estimates import check_confidence
from analysis.nps import nps_counts

METHOD = (
    "direct standardisation on the pooled stratum mix; delta-method interval "
    "(Fleiss, Levin & Paik 2003, ch. 19)"
)


@dataclass(frozen=True)
class Standardized:
    """The overall (crude) change and the like-for-like change at a fixed stratum mix.

    ``finding`` is ``"reversal"`` when both changes are beyond noise and point opposite
    ways, ``"mix_shift"`` when the mix moved materially and the two changes do not tell
    the same significant story, and ``None`` otherwise.
    """

    crude_change: float
    adjusted_change: float
    reversal: bool
    strata: tuple[dict[str, Any], ...]
    explanation: str
    method: str = METHOD
    crude_low: float = math.nan
    crude_high: float = math.nan
    crude_p: float = math.nan
    adjusted_low: float = math.nan
    adjusted_high: float = math.nan
    adjusted_p: float = math.nan
    mix_shift: float = 0.0  # index of dissimilarity of the two mixes, 0..1
    mix_p: float = 1.0
    mix_shifted: bool = False
    finding: str | None = None
    confidence: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        def r(x: float, digits: int = 3) -> float | None:
            return None if math.isnan(x) else round(float(x), digits)

        return {
            "crude_change": r(self.crude_change),
            "crude_low": r(self.crude_low),
            "crude_high": r(self.crude_high),
            "crude_p": r(self.crude_p, 6),
            "adjusted_change": r(self.adjusted_change),
            "adjusted_low": r(self.adjusted_low),
            "adjusted_high": r(self.adjusted_high),
            "adjusted_p": r(self.adjusted_p, 6),
            "mix_shift": r(self.mix_shift, 4),
            "mix_p": r(self.mix_p, 6),
            "mix_shifted": self.mix_shifted,
            "reversal": self.reversal,
            "finding": self.finding,
            "confidence": self.confidence,
            "strata": list(self.strata),
            "explanation": self.explanation,
            "method": self.method,
        }

    def summary(self) -> str:
        label = {"reversal": "  REVERSAL", "mix_shift": "  MIX SHIFT"}.get(self.finding or "", "")
        return (
            f"crude change {self.crude_change:+.1f} ({self.crude_low:+.1f} to {self.crude_high:+.1f}), "
            f"like-for-like {self.adjusted_change:+.1f} ({self.adjusted_low:+.1f} to "
            f"{self.adjusted_high:+.1f}), {self.confidence:.0%} CI ({self.method}){label}\n"
            f"{self.explanation}"
        )


def _nps_value(counts: Sequence[int]) -> float:
    pro, _, det = nps_counts(counts=counts)
    n = sum(counts)
    return 100 * (pro - det) / n if n else float("nan")


def nps_variance(counts: Sequence[int]) -> float:
    """Sampling variance of an NPS (points squared) from the multinomial, on Rocks-adjusted counts.

    Var = 100^2 (p + d - (p - d)^2) / n with p, d the promoter and detractor shares. The
    shares and n take Rocks' (2016) pseudo-counts (0.75, 1.5, 0.75; n + 3), so a stratum of
    only promoters is not treated as known exactly.

    Examples
    --------
    >>> round(nps_variance([20] + [0] * 7 + [40, 0, 40]), 2)
    54.31
    """
    pro, pas, det = nps_counts(counts=counts)
    n = pro + pas + det + 3
    p, d = (pro + 0.75) / n, (det + 0.75) / n
    return 1e4 * (p + d - (p - d) ** 2) / n


def percent(counts: Sequence[int]) -> float:
    """Percent of "yes" from ``(no, yes)`` counts: a proportion metric for ``standardized_change``.

    Examples
    --------
    >>> percent((3, 1))
    25.0
    """
    no, yes = counts
    return 100 * yes / (no + yes) if no + yes else float("nan")


def percent_variance(counts: Sequence[int]) -> float:
    """Binomial variance of :func:`percent` (percentage points squared), Agresti-Caffo adjusted.

    Var = 100^2 p (1 - p) / (n + 2) with p = (yes + 1) / (n + 2) (Agresti & Caffo 2000).

    Examples
    --------
    >>> round(percent_variance((48, 48)), 3)
    25.51
    """
    no, yes = counts
    n = no + yes + 2
    p = (yes + 1) / n
    return 1e4 * p * (1 - p) / n


VARIANCES: dict[Callable, Callable] = {_nps_value: nps_variance, percent: percent_variance}
BOOTSTRAP_DRAWS = 400


def _bootstrap_variance(value: Callable, counts: Sequence[int], rng: np.random.Generator) -> float:
    c = np.asarray(counts, dtype=np.int64)
    draws = rng.multinomial(int(c.sum()), c / c.sum(), size=BOOTSTRAP_DRAWS)
    return float(np.var([value(d) for d in draws], ddof=1))


def _interval(est: float, var: float, z: float) -> tuple[float, float, float]:
    se = math.sqrt(max(var, 0.0))
    if se == 0:
        return est, est, (1.0 if est == 0 else 0.0)
    return est - z * se, est + z * se, 2 * (1 - NormalDist().cdf(abs(est) / se))


def standardized_change(
    before: Mapping[Any, Sequence[int]],
    after: Mapping[Any, Sequence[int]],
    *,
    value=_nps_value,
    min_change: float = 1.0,
    confidence: float = 0.95,
    variance: Callable[[Sequence[int]], float] | None = None,
    min_shift: float = 0.10,
    extra_variance: float = 0.0,
) -> Standardized:
    """Compare the crude change of a metric with its change at a fixed stratum mix.

    ``before`` and ``after`` map each stratum to its counts per score (length 11 for NPS;
    for a proportion pass ``value=percent`` and ``(no, yes)`` counts; or any ``value``).
    The like-for-like change is direct standardisation: each stratum's change weighted by
    its share w_s of all answers in both periods. Its variance, by the delta method with
    the weights held fixed, is sum_s w_s^2 (Var m_s,before + Var m_s,after), the
    per-stratum variances from the multinomial for NPS (:func:`nps_variance`), the binomial
    for proportions (:func:`percent_variance`), ``variance`` when given, and otherwise a
    seeded parametric bootstrap of ``value``. ``extra_variance`` is added to every
    stratum's variance in every period, for variation beyond sampling (month-level noise,
    in the metric's unit squared). The crude change's variance is the same on the totals.

    A reversal needs the crude and the like-for-like change both beyond noise (their
    ``confidence`` intervals exclude zero), of opposite sign and each at least
    ``min_change``. The mix has shifted materially when the index of dissimilarity of the
    two mixes, half the sum of |share after - share before|, is at least ``min_shift`` and
    a chi-square test of homogeneity rejects an unchanged mix at the same level.

    References
    ----------
    Simpson, E. H. (1951). The interpretation of interaction in contingency tables.
    *JRSS B* 13, 238-241. Fleiss, J. L., Levin, B. and Paik, M. C. (2003). *Statistical
    Methods for Rates and Proportions*, 3rd ed., Wiley, ch. 19 (direct standardisation
    and its variance). Rocks, B. (2016), *The American Statistician* 70(4), 365-372
    (NPS variance). Agresti, A. and Caffo, B. (2000), *The American Statistician* 54(4),
    280-288. Bickel, Hammel and O'Connell (1975), *Science* 187, 398-404, and Charig et
    al. (1986), *BMJ* 292, 879-882, for the classic reversals in the tests.

    Examples
    --------
    >>> before = {"gold": [10] + [0] * 7 + [55, 0, 185], "basic": [75] + [0] * 7 + [100, 0, 75]}
    >>> after = {"gold": [6] + [0] * 7 + [20, 0, 74], "basic": [114] + [0] * 7 + [160, 0, 126]}
    >>> r = standardized_change(before, after)
    >>> round(r.crude_change, 1), round(r.adjusted_change, 2), r.reversal, r.finding
    (-19.0, 1.25, False, 'mix_shift')
    """
    check_confidence(confidence)
    keys = [k for k in before if k in after and sum(before[k]) and sum(after[k])]
    if len(keys) < 2:
        raise ValueError("need at least two strata with answers in both periods")
    rng = np.random.default_rng(0)
    var_of = variance or VARIANCES.get(value) or (lambda c: _bootstrap_variance(value, c, rng))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    alpha = 1 - confidence
    total_before = np.sum([np.asarray(before[k]) for k in before], axis=0)
    total_after = np.sum([np.asarray(after[k]) for k in after], axis=0)
    crude = value(total_after) - value(total_before)
    crude_low, crude_high, crude_p = _interval(crude, var_of(total_after) + var_of(total_before), z)
    sizes = {k: sum(before[k]) + sum(after[k]) for k in keys}
    weight_total = sum(sizes.values())
    strata = []
    adjusted = adjusted_var = 0.0
    for k in keys:
        change = value(after[k]) - value(before[k])
        var = var_of(after[k]) + var_of(before[k]) + 2 * extra_variance
        w = sizes[k] / weight_total
        adjusted += w * change
        adjusted_var += w**2 * var
        low, high, _ = _interval(change, var, z)
        strata.append(
            {
                "key": k,
                "before": round(value(before[k]), 2),
                "after": round(value(after[k]), 2),
                "change": round(change, 3),
                "change_low": round(low, 2),
                "change_high": round(high, 2),
                "share_before": round(sum(before[k]) / total_before.sum(), 4),
                "share_after": round(sum(after[k]) / total_after.sum(), 4),
                "n": int(sizes[k]),
            }
        )
    adjusted_low, adjusted_high, adjusted_p = _interval(adjusted, adjusted_var, z)
    table = np.array([[sum(before[k]) for k in keys], [sum(after[k]) for k in keys]])
    mix_p = float(stats.chi2_contingency(table, correction=False)[1])
    shift = 0.5 * sum(abs(s["share_after"] - s["share_before"]) for s in strata)
    mix_shifted = shift >= min_shift and mix_p <= alpha
    crude_sig, adjusted_sig = crude_p <= alpha, adjusted_p <= alpha
    opposite = np.sign(crude) * np.sign(adjusted) < 0
    reversal = bool(crude_sig and adjusted_sig and opposite and min(abs(crude), abs(adjusted)) >= min_change)
    same_story = crude_sig and adjusted_sig and not opposite
    finding = "reversal" if reversal else "mix_shift" if mix_shifted and not same_story else None
    result = Standardized(
        float(crude),
        float(adjusted),
        reversal,
        tuple(strata),
        "",
        crude_low=float(crude_low),
        crude_high=float(crude_high),
        crude_p=float(crude_p),
        adjusted_low=float(adjusted_low),
        adjusted_high=float(adjusted_high),
        adjusted_p=float(adjusted_p),
        mix_shift=float(shift),
        mix_p=mix_p,
        mix_shifted=bool(mix_shifted),
        finding=finding,
        confidence=confidence,
        method=METHOD if var_of in (variance, VARIANCES.get(value)) else METHOD + ", bootstrap variances",
    )
    return _explained(result)


def verdict(result: Standardized) -> str:
    """How the like-for-like change reads against noise, in words without a causal claim."""
    if result.reversal:
        return "both changes are beyond noise and point opposite ways"
    if result.adjusted_low <= 0 <= result.adjusted_high:
        return "which is not distinguishable from zero"
    if result.crude_low <= 0 <= result.crude_high:
        return "which is beyond noise, while the overall change is not"
    return "which is beyond noise"


def mix_moves(result: Standardized, top: int = 2) -> str:
    """The strata whose share moved most, as 'k went from a% to b% of answers'."""
    moved = sorted(result.strata, key=lambda s: abs(s["share_after"] - s["share_before"]), reverse=True)
    return "; ".join(
        f"{s['key']} went from {s['share_before']:.0%} to {s['share_after']:.0%} of answers"
        for s in moved[:top]
    )


def own_directions(result: Standardized) -> str:
    """Each stratum's own change, e.g. 'online +4.4, store +4.9, phone -2.3'."""
    return ", ".join(f"{s['key']} {s['change']:+.1f}" for s in result.strata)


def _explained(r: Standardized) -> Standardized:
    names = ", ".join(str(s["key"]) for s in r.strata)
    text = (
        f"Overall the metric moved {r.crude_change:+.1f} ({r.confidence:.0%} CI {r.crude_low:+.1f} "
        f"to {r.crude_high:+.1f}); with the mix of {names} held fixed it moved "
        f"{r.adjusted_change:+.1f} ({r.adjusted_low:+.1f} to {r.adjusted_high:+.1f}), {verdict(r)}. "
        f"Each stratum on its own: {own_directions(r)}. "
        + (f"The mix changed: {mix_moves(r)}." if r.mix_shifted else "The mix barely changed.")
    )
    return replace(r, explanation=text)
