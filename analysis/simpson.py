"""Composition effects: when the overall change points one way and the strata the other."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.nps import nps_counts


@dataclass(frozen=True)
class Standardized:
    """The overall change, and the like-for-like change with the mix held fixed."""

    crude_change: float
    adjusted_change: float
    reversal: bool
    strata: tuple[dict[str, Any], ...]
    explanation: str
    method: str = "direct standardisation on the pooled stratum mix"

    def to_dict(self) -> dict[str, Any]:
        return {
            "crude_change": round(self.crude_change, 3),
            "adjusted_change": round(self.adjusted_change, 3),
            "reversal": self.reversal,
            "strata": list(self.strata),
            "explanation": self.explanation,
            "method": self.method,
        }

    def summary(self) -> str:
        return (
            f"crude change {self.crude_change:+.1f}, like-for-like {self.adjusted_change:+.1f} "
            f"({self.method}){'  REVERSAL' if self.reversal else ''}\n{self.explanation}"
        )


def _nps_value(counts: Sequence[int]) -> float:
    pro, _, det = nps_counts(counts=counts)
    n = sum(counts)
    return 100 * (pro - det) / n if n else float("nan")


def standardized_change(
    before: Mapping[Any, Sequence[int]],
    after: Mapping[Any, Sequence[int]],
    *,
    value=_nps_value,
    min_change: float = 1.0,
) -> Standardized:
    """Compare the crude change of a metric with its change at a fixed stratum mix.

    ``before`` and ``after`` map each stratum to its counts per score (length 11 for
    NPS; pass ``value`` for another metric). The adjusted change weights each
    stratum's change by its share of all answers in both periods (direct
    standardisation). A reversal is reported when the two changes have opposite
    signs, each at least ``min_change``, and the strata holding most answers move
    with the adjusted change rather than the crude one.

    References
    ----------
    Simpson, E. H. (1951). The interpretation of interaction in contingency tables.
    *JRSS B* 13, 238-241. Rothman, Greenland and Lash (2008), *Modern Epidemiology*,
    ch. 15, for direct standardisation.
    """
    keys = [k for k in before if k in after and sum(before[k]) and sum(after[k])]
    if len(keys) < 2:
        raise ValueError("need at least two strata with answers in both periods")
    total_before = np.sum([np.asarray(before[k]) for k in before], axis=0)
    total_after = np.sum([np.asarray(after[k]) for k in after], axis=0)
    crude = value(total_after) - value(total_before)
    sizes = {k: sum(before[k]) + sum(after[k]) for k in keys}
    weight_total = sum(sizes.values())
    strata = []
    adjusted = 0.0
    for k in keys:
        change = value(after[k]) - value(before[k])
        share_before = sum(before[k]) / total_before.sum()
        share_after = sum(after[k]) / total_after.sum()
        adjusted += sizes[k] / weight_total * change
        strata.append(
            {
                "key": k,
                "before": round(value(before[k]), 2),
                "after": round(value(after[k]), 2),
                "change": round(change, 2),
                "share_before": round(share_before, 4),
                "share_after": round(share_after, 4),
                "n": sizes[k],
            }
        )
    agreeing = sum(s["n"] for s in strata if np.sign(s["change"]) == np.sign(adjusted) and s["change"])
    reversal = (
        abs(crude) >= min_change
        and abs(adjusted) >= min_change
        and np.sign(crude) != np.sign(adjusted)
        and agreeing > weight_total / 2
    )
    shifted = sorted(strata, key=lambda s: abs(s["share_after"] - s["share_before"]), reverse=True)[:2]
    explanation = (
        f"Overall the metric moved {crude:+.1f}, but with the mix of "
        f"{', '.join(str(s['key']) for s in strata)} "
        f"held fixed it moved {adjusted:+.1f}. "
        + "; ".join(
            f"{s['key']} went from {s['share_before']:.0%} to {s['share_after']:.0%} of answers"
            for s in shifted
        )
        + "."
    )
    return Standardized(crude, adjusted, bool(reversal), tuple(strata), explanation)
