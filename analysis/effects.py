"""How big is a difference? Effect sizes to read beside a p-value, and the floor a warning needs.

With tens of thousands of answers almost any difference is significant; an effect size says
whether it is large enough to matter. Floors default to Cohen's (1988) "small" effects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

# Cohen (1988): w (= Cramer's V in a 2 x k table) 0.1, h 0.2 and d 0.2 are "small" effects.
FLOORS = {"cramers_v": 0.1, "cohens_h": 0.2, "cohens_d": 0.2}


@dataclass(frozen=True)
class Effect:
    """An effect size, the practical floor it was held against, and whether it reaches it."""

    name: str
    value: float
    floor: float

    @property
    def practical(self) -> bool:
        return practical(self.value, self.floor)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": None if math.isnan(self.value) else round(self.value, 4),
            "floor": self.floor,
            "practical": self.practical,
        }


def practical(value: float, floor: float) -> bool:
    """Whether an effect of size ``value`` (either sign) reaches ``floor``; NaN never does.

    Examples
    --------
    >>> practical(0.03, 0.1), practical(-0.25, 0.2), practical(float("nan"), 0.1)
    (False, True, False)
    """
    if floor < 0:
        raise ValueError("floor must be at least 0")
    return not math.isnan(value) and abs(value) >= floor


def cramers_v(table: Sequence[Sequence[float]], *, bias_corrected: bool = False) -> float:
    """Cramer's V of an r x c table of counts, from the uncorrected Pearson chi-square.

    V = sqrt(chi2 / (n (min(r, c) - 1))), 0 (independence) to 1. Rows or columns of zeros
    are dropped first. With ``bias_corrected`` it is Bergsma's (2013) version, which removes
    the upward bias of V in small tables: phi2 is shrunk by (r - 1)(c - 1) / (n - 1) and the
    dimensions by (r - 1)^2 / (n - 1) and (c - 1)^2 / (n - 1).

    References
    ----------
    Cramer, H. (1946). *Mathematical Methods of Statistics*, Princeton, p. 282.
    Bergsma, W. (2013). A bias-correction for Cramer's V and Tschuprow's T. *Journal of
    the Korean Statistical Society* 42(3), 323-328.

    Examples
    --------
    >>> round(cramers_v([[60, 180], [40, 720]]), 3)
    0.281
    >>> round(cramers_v([[60, 180], [40, 720]], bias_corrected=True), 3)
    0.279
    """
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or (t < 0).any() or not np.isfinite(t).all():
        raise ValueError("table must be a 2-d table of non-negative counts")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    r, c = t.shape
    n = t.sum()
    if min(r, c) < 2:
        return math.nan
    chi2 = stats.chi2_contingency(t, correction=False)[0]
    phi2 = chi2 / n
    if not bias_corrected:
        return float(math.sqrt(phi2 / (min(r, c) - 1)))
    if n <= 1:
        return math.nan
    phi2 = max(0.0, phi2 - (r - 1) * (c - 1) / (n - 1))
    rows, cols = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    return float(math.sqrt(phi2 / min(rows - 1, cols - 1)))


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h for two proportions: 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)), signed.

    The arcsine makes a gap near 0 or 1 count for more than the same gap near 0.5.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.,
    Erlbaum, ch. 6 (h = 0.2 small, 0.5 medium, 0.8 large).

    Examples
    --------
    >>> round(cohens_h(0.55, 0.45), 3)
    0.2
    """
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 <= p <= 1:
            raise ValueError(f"{name} must be a proportion between 0 and 1")
    return float(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2)))


def cohens_d(counts_a: Sequence[int], counts_b: Sequence[int], scores: Sequence[float]) -> float:
    """Cohen's d of two groups given as counts per score: mean difference over the pooled SD.

    References
    ----------
    Cohen, J. (1988), ch. 2 (d = 0.2 small).

    Examples
    --------
    >>> round(cohens_d([0, 5, 5], [5, 5, 0], [1, 2, 3]), 3)
    1.897
    """
    a, b, s = (np.asarray(x, dtype=float) for x in (counts_a, counts_b, scores))
    if not len(a) == len(b) == len(s):
        raise ValueError("counts_a, counts_b and scores must have one entry per score")
    na, nb = a.sum(), b.sum()
    if na < 2 or nb < 2:
        return math.nan
    ma, mb = (a @ s) / na, (b @ s) / nb
    ss = a @ (s - ma) ** 2 + b @ (s - mb) ** 2
    sd = math.sqrt(ss / (na + nb - 2))
    return float((ma - mb) / sd) if sd > 0 else math.nan


def nps_groups(counts: Sequence[int]) -> list[int]:
    """Detractors (0-6), passives (7-8) and promoters (9-10) of 11 counts per score."""
    c = list(counts)
    if len(c) != 11:
        raise ValueError("counts must have 11 entries, for scores 0-10")
    return [sum(c[:7]), sum(c[7:9]), sum(c[9:])]


def contrast(
    metric: str,
    counts_a: Sequence[int],
    counts_b: Sequence[int],
    *,
    satisfied: tuple[int, int] | None = None,
    scores: Sequence[float] | None = None,
    floor: float | None = None,
) -> Effect:
    """The effect size of group a against group b for a results metric, with its floor.

    NPS: Cramer's V of the 2 x 3 table of detractors, passives and promoters (11 counts per
    score each). CSAT: Cohen's h of the satisfied shares, ``satisfied`` giving the satisfied
    counts of a and b. CES and other means: Cohen's d, ``scores`` giving each count's score.
    ``floor`` overrides the measure's default in :data:`FLOORS`.

    Examples
    --------
    >>> contrast("nps", [10] + [0] * 8 + [0, 90], [30] + [0] * 8 + [0, 70]).to_dict()
    {'name': 'cramers_v', 'value': 0.25, 'floor': 0.1, 'practical': True}
    >>> contrast("csat", [20, 80], [50, 50], satisfied=(80, 50)).to_dict()
    {'name': 'cohens_h', 'value': 0.6435, 'floor': 0.2, 'practical': True}
    """
    if metric == "nps":
        name, value = "cramers_v", cramers_v([nps_groups(counts_a), nps_groups(counts_b)])
    elif metric == "csat":
        if satisfied is None:
            raise ValueError("satisfied: CSAT needs the satisfied counts of both groups")
        na, nb = sum(counts_a), sum(counts_b)
        name = "cohens_h"
        value = cohens_h(satisfied[0] / na, satisfied[1] / nb) if na and nb else math.nan
    else:
        if scores is None:
            raise ValueError(f"scores: a mean ({metric}) needs the score of each count")
        name, value = "cohens_d", cohens_d(counts_a, counts_b, scores)
    return Effect(name, value, FLOORS[name] if floor is None else float(floor))
