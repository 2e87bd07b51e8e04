"""The Simpson check with survey weights: crude and like-for-like change, linearised variances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import NormalDist
from typing import Any

import numpy as np
from scipy import stats

from analysis.estimates import check_confidence
from analysis.simpson import Standardized, _explained, _interval
from analysis.weighted import Linearised, linearise

METHOD = (
    "weighted direct standardisation on the pooled weighted stratum mix; Taylor-linearised "
    "variances per stratum and period (Woodruff 1971), combined by the delta method "
    "(Fleiss, Levin & Paik 2003, ch. 19)"
)

# One stratum in one period: (scores, weights) or (scores, weights, counts) per row.
Sample = tuple[Sequence[int], Sequence[float]] | tuple[Sequence[int], Sequence[float], Sequence[float]]


def nps_points(scores: np.ndarray) -> np.ndarray:
    """100 for a promoter (9-10), -100 for a detractor (0-6), 0 for a passive."""
    return np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))


def standardized_change(
    before: Mapping[Any, Sample],
    after: Mapping[Any, Sample],
    *,
    value=nps_points,
    min_change: float = 1.0,
    confidence: float = 0.95,
    min_shift: float = 0.10,
) -> Standardized:
    """Weighted crude change against the weighted change at a fixed stratum mix.

    Like ``analysis.simpson.standardized_change``, on weighted answers: each stratum's
    weighted metric in each period, its share w_s the stratum's share of all weight in
    both periods, the like-for-like change sum_s w_s (after_s - before_s) with variance
    sum_s w_s^2 (v_s,before + v_s,after) from linearisation, and the crude change on the
    weighted totals. The mix is compared on weighted shares; its chi-square test runs on
    the weighted table scaled to each period's Kish effective n, a first-order design
    correction in the spirit of Rao and Scott (1981).

    References
    ----------
    Woodruff, R. S. (1971), *JASA* 66, 411-414. Fleiss, Levin and Paik (2003), *Statistical
    Methods for Rates and Proportions*, 3rd ed., ch. 19. Rao, J. N. K. and Scott, A. J.
    (1981). The analysis of categorical data from complex sample surveys. *JASA* 76, 221-230.

    Examples
    --------
    >>> before = {"gold": ([10, 0], [1.0, 1.0], [185, 10]), "basic": ([10, 0], [2.0, 2.0], [75, 75])}
    >>> after = {"gold": ([10, 0], [1.0, 1.0], [74, 6]), "basic": ([10, 0], [2.0, 2.0], [126, 114])}
    >>> r = standardized_change(before, after)
    >>> round(r.crude_change, 1), round(r.adjusted_change, 1), r.finding
    (-18.9, 2.5, 'mix_shift')
    """
    check_confidence(confidence)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    alpha = 1 - confidence

    def fit(sample: Sample) -> Linearised:
        scores, weights, *rest = sample
        return linearise(value(np.asarray(scores)), weights, counts=rest[0] if rest else None)

    keys = [k for k in before if k in after and _answers(before[k]) >= 2 and _answers(after[k]) >= 2]
    if len(keys) < 2:
        raise ValueError("need at least two strata with two answers or more in both periods")
    fits = {k: (fit(before[k]), fit(after[k])) for k in keys}
    pooled_b, pooled_a = fit(_pool(before.values())), fit(_pool(after.values()))
    crude = pooled_a.mean - pooled_b.mean
    crude_low, crude_high, crude_p = _interval(crude, pooled_a.variance + pooled_b.variance, z)
    weight_total = sum(b.weight + a.weight for b, a in fits.values())
    total_b = sum(b.weight for b, _ in fits.values())
    total_a = sum(a.weight for _, a in fits.values())
    adjusted = adjusted_var = 0.0
    strata = []
    for k in keys:
        b, a = fits[k]
        share = (b.weight + a.weight) / weight_total
        change = a.mean - b.mean
        var = a.variance + b.variance
        adjusted += share * change
        adjusted_var += share**2 * var
        low, high, _ = _interval(change, var, z)
        strata.append(
            {
                "key": k,
                "before": round(b.mean, 2),
                "after": round(a.mean, 2),
                "change": round(change, 3),
                "change_low": round(low, 2),
                "change_high": round(high, 2),
                "share_before": round(b.weight / total_b, 4),
                "share_after": round(a.weight / total_a, 4),
                "n": b.n + a.n,
                "n_effective": round(b.n_effective + a.n_effective, 1),
            }
        )
    adjusted_low, adjusted_high, adjusted_p = _interval(adjusted, adjusted_var, z)
    table = np.array(
        [
            [fits[k][0].weight / total_b * pooled_b.n_effective for k in keys],
            [fits[k][1].weight / total_a * pooled_a.n_effective for k in keys],
        ]
    )
    mix_p = float(stats.chi2_contingency(table, correction=False)[1])
    shift = 0.5 * sum(abs(s["share_after"] - s["share_before"]) for s in strata)
    mix_shifted = shift >= min_shift and mix_p <= alpha
    crude_sig, adjusted_sig = crude_p <= alpha, adjusted_p <= alpha
    opposite = np.sign(crude) * np.sign(adjusted) < 0
    reversal = bool(crude_sig and adjusted_sig and opposite and min(abs(crude), abs(adjusted)) >= min_change)
    same_story = crude_sig and adjusted_sig and not opposite
    finding = "reversal" if reversal else "mix_shift" if mix_shifted and not same_story else None
    return _explained(
        Standardized(
            float(crude),
            float(adjusted),
            reversal,
            tuple(strata),
            "",
            METHOD,
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
        )
    )


def _answers(sample: Sample) -> float:
    return float(np.sum(sample[2])) if len(sample) > 2 else float(len(sample[0]))


def _pool(samples) -> Sample:
    parts = list(samples)
    scores = np.concatenate([np.asarray(p[0]) for p in parts])
    weights = np.concatenate([np.asarray(p[1], dtype=float) for p in parts])
    counts = np.concatenate(
        [np.asarray(p[2], dtype=float) if len(p) > 2 else np.ones(len(p[0])) for p in parts]
    )
    return scores, weights, counts
