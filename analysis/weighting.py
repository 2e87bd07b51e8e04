"""Weights that make respondents look like the invited population: post-stratification and raking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Weights:
    weights: np.ndarray
    iterations: int
    converged: bool
    method: str

    @property
    def effective_n(self) -> float:
        return kish_effective_n(self.weights)

    @property
    def design_effect(self) -> float:
        return len(self.weights) / self.effective_n

    def summary(self) -> str:
        w = self.weights
        return (
            f"{self.method}: n = {len(w)}, effective n = {self.effective_n:.1f}, design effect "
            f"{self.design_effect:.3f}, weights {w.min():.3f} to {w.max():.3f}, "
            f"{'converged' if self.converged else 'NOT converged'} after {self.iterations} iteration(s)"
        )


def kish_effective_n(weights: Sequence[float]) -> float:
    """(sum w)^2 / sum w^2 (Kish 1965, *Survey Sampling*, section 11.7)."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or not w.size or (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be a non-empty list of non-negative numbers with a positive sum")
    return float(w.sum() ** 2 / (w**2).sum())


def post_stratify(cells: Sequence[Any], targets: Mapping[Any, float]) -> Weights:
    """Weight each respondent by target share / sample share of its cell (mean weight 1).

    ``targets`` are population shares (or counts) per cell.
    """
    keys = np.asarray(list(cells), dtype=object)
    total = float(sum(targets.values()))
    if total <= 0:
        raise ValueError("targets must sum to a positive number")
    n = len(keys)
    if n == 0:
        raise ValueError("no respondents")
    counts = {k: int((keys == k).sum()) for k in set(keys.tolist())}
    missing = [k for k in counts if k not in targets]
    if missing:
        raise ValueError(f"no target for cells {missing}")
    empty = [k for k, share in targets.items() if share > 0 and counts.get(k, 0) == 0]
    if empty:
        raise ValueError(f"cells {empty} have a target but no respondents; collapse them first")
    w = np.array([(targets[k] / total) / (counts[k] / n) for k in keys.tolist()], dtype=float)
    return Weights(w, 1, True, "post-stratification")


def rake(
    columns: Mapping[str, Sequence[Any]],
    margins: Mapping[str, Mapping[Any, float]],
    *,
    tol: float = 1e-8,
    max_iter: int = 200,
) -> Weights:
    """Iterative proportional fitting to several one-way margins at once (mean weight 1).

    Each pass scales the weights so one variable's weighted shares match its target,
    in turn, until every margin is within ``tol``.

    References
    ----------
    Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled
    frequency table when the expected marginal totals are known. *Ann. Math. Statist.* 11, 427-444.
    """
    names = list(margins)
    if not names or set(names) - set(columns):
        raise ValueError("every margin needs a column of respondent values")
    data = {name: np.asarray(list(columns[name]), dtype=object) for name in names}
    n = len(next(iter(data.values())))
    if n == 0 or any(len(v) != n for v in data.values()):
        raise ValueError("columns must be non-empty and of equal length")
    targets = {}
    for name in names:
        total = float(sum(margins[name].values()))
        targets[name] = {k: v / total for k, v in margins[name].items()}
        seen = set(data[name].tolist())
        if seen - set(targets[name]):
            raise ValueError(f"{name}: no target for {sorted(map(str, seen - set(targets[name])))}")
        if any(share > 0 and k not in seen for k, share in targets[name].items()):
            raise ValueError(f"{name}: a category with a target has no respondents")
    w = np.ones(n)
    for iteration in range(1, max_iter + 1):
        for name in names:
            values = data[name]
            total = w.sum()
            for key, share in targets[name].items():
                mask = values == key
                current = w[mask].sum() / total
                if current > 0:
                    w[mask] *= share / current
        worst = max(
            abs(w[data[name] == k].sum() / w.sum() - s) for name in names for k, s in targets[name].items()
        )
        if worst < tol:
            return Weights(w * n / w.sum(), iteration, True, "raking (iterative proportional fitting)")
    return Weights(w * n / w.sum(), max_iter, False, "raking (iterative proportional fitting)")
