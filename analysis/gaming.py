"""Scores too good to be true: a segment whose score distribution is implausible against the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from analysis.multiple import holm


@dataclass(frozen=True)
class Suspect:
    segment: Any
    n: int
    top_share: float
    rest_top_share: float
    p_value: float
    p_adjusted: float
    distribution_p: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "n": self.n,
            "top_share": round(self.top_share, 4),
            "rest_top_share": round(self.rest_top_share, 4),
            "p_value": self.p_value,
            "p_adjusted": self.p_adjusted,
            "distribution_p": self.distribution_p,
        }


def suspicious_segments(
    counts: Mapping[Any, Sequence[int]], *, top: int = 1, alpha: float = 0.01, min_n: int = 20
) -> list[Suspect]:
    """Segments with an excess of top scores against all other segments pooled.

    For each segment, a one-sided binomial test asks whether its share of the top
    ``top`` score(s) exceeds the rest's share; Holm controls the error rate across
    segments. A chi-square test of the whole distribution against the rest is
    reported beside it. A test, not a threshold: a large, genuinely happy segment
    is not flagged for being large.
    """
    keys = [k for k, c in counts.items() if sum(c) >= min_n]
    if len(keys) < 2:
        return []
    matrix = {k: np.asarray(counts[k], dtype=float) for k in counts}
    results = []
    for k in keys:
        own = matrix[k]
        rest = sum(v for j, v in matrix.items() if j != k)
        n, n_rest = own.sum(), rest.sum()
        if n_rest <= 0:
            continue
        top_own, top_rest = own[-top:].sum(), rest[-top:].sum()
        base = top_rest / n_rest
        p = float(
            stats.binomtest(
                int(top_own), int(n), min(max(base, 1e-9), 1 - 1e-9), alternative="greater"
            ).pvalue
        )
        table = np.vstack([own, rest])
        table = table[:, table.sum(axis=0) > 0]
        dist_p = float(stats.chi2_contingency(table, correction=False)[1]) if table.shape[1] > 1 else 1.0
        results.append((k, int(n), float(top_own / n), float(base), p, dist_p))
    if not results:
        return []
    reject, p_adj = holm([r[4] for r in results], alpha)
    return [
        Suspect(k, n, share, base, p, float(pa), dp)
        for (k, n, share, base, p, dp), rj, pa in zip(results, reject, p_adj, strict=True)
        if rj
    ]
