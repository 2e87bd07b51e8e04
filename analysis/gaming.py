"""Scores too good to be true: a segment whose score distribution is implausible against the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats

from analysis.multiple import holm

METHOD = (
    "Fisher's exact test, one-sided (excess of top scores against the rest), Holm-adjusted across segments"
)


@dataclass(frozen=True)
class Suspect:
    segment: Any
    n: int
    top_share: float
    rest_top_share: float
    p_value: float
    p_adjusted: float
    distribution_p: float
    method: str = METHOD

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "n": self.n,
            "top_share": round(self.top_share, 4),
            "rest_top_share": round(self.rest_top_share, 4),
            "p_value": self.p_value,
            "p_adjusted": self.p_adjusted,
            "distribution_p": self.distribution_p,
            "method": self.method,
        }


def suspicious_segments(
    counts: Mapping[Any, Sequence[int]], *, top: int = 1, alpha: float = 0.01, min_n: int = 20
) -> list[Suspect]:
    """Segments with an excess of top scores against all other segments pooled.

    Each segment with at least ``min_n`` answers is compared with all the others
    pooled (segments below ``min_n`` still count in the pool) in a 2 x 2 table: top
    ``top`` score(s) or not, this segment or the rest. Fisher's exact test, one-sided
    for an excess of top scores, gives its p-value; the rest's share is estimated
    from the same data, not taken as known, so a small pool does not make a chance
    excess look damning. Holm's procedure keeps the chance of flagging any segment,
    when none is different, at or below ``alpha`` (a family-wise error rate, valid
    whatever the dependence between the tests). A chi-square test of the whole score
    distribution against the rest is reported beside it, not used for flagging.
    A test, not a threshold: a large, genuinely happy segment is not flagged for
    being large. Segments that differ honestly (overdispersion between stores) are
    not modelled: such a difference is what the flag asks someone to check.

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal
    Statistical Society* 98(1), 39-82. Agresti, A. (2013). *Categorical Data
    Analysis*, 3rd ed., §3.5.1. Wiley.
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    >>> honest = [3, 1, 1, 2, 2, 3, 4, 7, 10, 7, 10]  # 50 answers, 20% tens
    >>> stores = {f"S{i}": honest for i in range(1, 6)}
    >>> stores["S6"] = [0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 45]
    >>> [(s.segment, s.top_share) for s in suspicious_segments(stores)]
    [('S6', 0.9)]
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    if top < 1:
        raise ValueError("top must be at least 1 (the number of top scores counted)")
    names = list(counts)
    if not names:
        return []
    try:
        matrix = np.asarray([np.asarray(counts[k], dtype=float) for k in names], dtype=float)
    except ValueError:
        raise ValueError("counts must give the same number of scores for every segment") from None
    if matrix.ndim != 2 or np.isnan(matrix).any() or (matrix < 0).any():
        raise ValueError("counts must be non-negative counts per score, one list per segment")
    sizes = matrix.sum(axis=1)
    tested = np.flatnonzero(sizes >= min_n)
    total = matrix.sum(axis=0)
    grand = total.sum()
    tested = tested[grand - sizes[tested] > 0]
    if tested.size < 2:
        return []
    n = sizes[tested]
    top_own = matrix[tested, -top:].sum(axis=1)
    top_all = total[-top:].sum()
    # One-sided Fisher: P(X >= x) for X hypergeometric, x top scores drawn in n answers
    # out of the grand total holding top_all top scores (= scipy.stats.fisher_exact "greater").
    p = np.minimum(stats.hypergeom.sf(top_own - 1, grand, top_all, n), 1.0)
    dist_p = _distribution_p(matrix[tested], total)
    reject, p_adj = holm(p, alpha)
    return [
        Suspect(
            names[i],
            int(n[j]),
            float(top_own[j] / n[j]),
            float((top_all - top_own[j]) / (grand - n[j])),
            float(p[j]),
            float(p_adj[j]),
            float(dist_p[j]),
        )
        for j, i in enumerate(tested)
        if reject[j]
    ]


def _distribution_p(own: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Pearson chi-square p-value of each row against the rest, scores no one gave left out."""
    keep = total > 0
    if keep.sum() < 2:
        return np.ones(own.shape[0])
    own, total = own[:, keep], total[keep]
    rest = total - own
    n = own.sum(axis=1, keepdims=True)
    expected_own = n * total / total.sum()
    expected_rest = (total.sum() - n) * total / total.sum()
    stat = ((own - expected_own) ** 2 / expected_own + (rest - expected_rest) ** 2 / expected_rest).sum(
        axis=1
    )
    return special.chdtrc(keep.sum() - 1, stat)  # chi-square survival function, without stats' overhead
