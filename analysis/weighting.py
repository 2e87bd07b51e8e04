"""Weights that make respondents look like the invited population: post-stratification and raking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_CAP = 5.0  # no weight above 5 times the median weight


@dataclass(frozen=True)
class Weights:
    """One weight per row; ``counts`` (when given) is how many respondents share each row.

    ``trimmed`` respondents had their weight cut to ``cap`` times the median weight, and
    ``moved`` is the share of the total weight that trimming moved to the others.
    ``margin_error`` is the largest gap between a weighted share and its target after it;
    ``cap_met`` is False when raking could not keep every weight under the cap.
    """

    weights: np.ndarray
    iterations: int
    converged: bool
    method: str
    counts: np.ndarray | None = None
    cap: float | None = None
    trimmed: int = 0
    moved: float = 0.0
    margin_error: float = 0.0
    cap_met: bool = True
    largest: float | None = None  # the largest weight, in multiples of the median weight

    @property
    def n(self) -> int:
        return int(self.counts.sum()) if self.counts is not None else len(self.weights)

    @property
    def effective_n(self) -> float:
        return kish_effective_n(self.weights, self.counts)

    @property
    def design_effect(self) -> float:
        return self.n / self.effective_n

    def trimming(self) -> dict:
        """What trimming did, for reports."""
        return {
            "cap": self.cap,
            "rule": None if self.cap is None else f"at most {self.cap:g} times the median weight",
            "trimmed": self.trimmed,
            "share_moved": round(self.moved, 4),
            "margin_error": round(self.margin_error, 6),
            "cap_met": self.cap_met,
            "largest": None if self.largest is None else round(self.largest, 2),
        }

    def summary(self) -> str:
        w = self.weights
        trim = f", {self.trimmed} trimmed at {self.cap:g}x median" if self.cap is not None else ""
        return (
            f"{self.method}: n = {self.n}, effective n = {self.effective_n:.1f}, design effect "
            f"{self.design_effect:.3f}, weights {w.min():.3f} to {w.max():.3f}{trim}, "
            f"{'converged' if self.converged else 'NOT converged'} after {self.iterations} iteration(s)"
        )


def kish_effective_n(weights: Sequence[float], counts: Sequence[int] | None = None) -> float:
    """(sum w)^2 / sum w^2 (Kish 1965, *Survey Sampling*, section 11.7); ``counts`` repeat rows."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or not w.size or (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be a non-empty list of non-negative numbers with a positive sum")
    c = np.ones_like(w) if counts is None else np.asarray(counts, dtype=float)
    return float((c * w).sum() ** 2 / (c * w**2).sum())


def weighted_median(weights: np.ndarray, counts: np.ndarray) -> float:
    order = np.argsort(weights)
    cum = np.cumsum(counts[order])
    return float(weights[order][np.searchsorted(cum, cum[-1] / 2)])


def trim(
    weights: Sequence[float], *, cap: float = DEFAULT_CAP, counts: Sequence[int] | None = None
) -> Weights:
    """Cap every weight at ``cap`` times the median weight and share the excess out.

    The weight cut from the largest weights is spread over the others in proportion
    to their weight, so the total is kept; that can lift another weight over the cap,
    so it repeats until none is (at most as many rounds as there are rows). ``trimmed``
    counts the respondents whose weight was cut to the cap in any round.

    References
    ----------
    Potter, F. J. (1990). A study of procedures to identify and trim extreme sampling
    weights. *Proc. Survey Research Methods Section, ASA*, 225-230. Battaglia, M. P.,
    Izrael, D., Hoaglin, D. C. and Frankel, M. R. (2009). Practical considerations in
    raking survey data. *Survey Practice* 2(5) (a cap of 5 times the median).

    Examples
    --------
    >>> t = trim([1.0] * 9 + [11.0], cap=5)
    >>> t.weights.round(3).tolist()[-2:], t.trimmed, round(t.moved, 3), float(t.weights.sum())
    ([1.667, 5.0], 1, 0.3, 20.0)
    """
    if cap <= 1:
        raise ValueError(f"cap must be above 1 (a multiple of the median weight), got {cap!r}")
    w0 = np.asarray(weights, dtype=float)
    c = np.ones_like(w0) if counts is None else np.asarray(counts, dtype=float)
    kish_effective_n(w0, c)  # validates
    limit = cap * weighted_median(w0[c > 0], c[c > 0])
    w, cut = _trim(w0, c, limit)
    trimmed = int(c[cut].sum())
    moved = float((c * np.abs(w - w0)).sum() / (2 * (c * w0).sum()))
    return Weights(w, 1, True, "trimmed", c if counts is not None else None, cap, trimmed, moved)


def _trim(w0: np.ndarray, c: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """The trimmed weights, and which rows were cut to the cap (at any round)."""
    total, w = float((c * w0).sum()), w0.copy()
    cut = np.zeros(w.size, dtype=bool)
    for _ in range(len(w) + 1):
        over = w > limit * (1 + 1e-12)
        if not over.any():
            break
        cut |= over
        w[over] = limit
        free = w < limit
        if not (c * w)[free].sum():
            break  # every weight is at the cap: nothing left to spread the excess over
        w[free] *= (total - float((c * w)[~free].sum())) / float((c * w)[free].sum())
    return w, cut


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
    counts: Sequence[int] | None = None,
    cap: float | None = None,
    tol: float = 1e-8,
    max_iter: int = 200,
    rounds: int = 50,
) -> Weights:
    """Iterative proportional fitting to several one-way margins at once (mean weight 1).

    Each pass scales the weights so one variable's weighted shares match its target,
    in turn, until every margin is within ``tol``. ``counts`` says how many respondents
    each row stands for (rows of cells and counts, as the database groups them).

    With ``cap`` the weights are trimmed to ``cap`` times the median weight of the
    untrimmed raking (:func:`trim`) and raked again, in turn, up to ``rounds`` times or
    until raking leaves every weight under the cap (raking and trimming alternated, as in
    Battaglia et al. 2009): the weight cut from a cell goes to the cells that share its
    margins. When no such weights exist (one raking variable, or a cell too thin for its
    margin) the untrimmed weights are kept and ``cap_met`` is False: a weight above the
    cap widens the interval, which linearisation measures, whereas a missed margin is a
    bias no interval shows (bench/weights.py measures how badly trimming alone misses).

    References
    ----------
    Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled
    frequency table when the expected marginal totals are known. *Ann. Math. Statist.* 11, 427-444.

    Examples
    --------
    >>> w = rake({"tier": ["a", "b"]}, {"tier": {"a": 1, "b": 1}}, counts=[80, 20])
    >>> w.weights.round(3).tolist(), w.n, round(w.effective_n, 1)
    ([0.625, 2.5], 100, 64.0)
    """
    names = list(margins)
    if not names or set(names) - set(columns):
        raise ValueError("every margin needs a column of respondent values")
    data = {name: np.asarray(list(columns[name]), dtype=object) for name in names}
    n = len(next(iter(data.values())))
    if n == 0 or any(len(v) != n for v in data.values()):
        raise ValueError("columns must be non-empty and of equal length")
    c = np.ones(n) if counts is None else np.asarray(counts, dtype=float)
    if c.shape != (n,) or (c < 0).any() or c.sum() <= 0:
        raise ValueError("counts must be one non-negative number per row, with a positive sum")
    targets = {}
    for name in names:
        total = float(sum(margins[name].values()))
        targets[name] = {k: v / total for k, v in margins[name].items()}
        seen = set(data[name][c > 0].tolist())
        if seen - set(targets[name]):
            raise ValueError(f"{name}: no target for {sorted(map(str, seen - set(targets[name])))}")
        if any(share > 0 and k not in seen for k, share in targets[name].items()):
            raise ValueError(f"{name}: a category with a target has no respondents")
    masks = {name: [(data[name] == k, s) for k, s in targets[name].items()] for name in names}

    def error(w: np.ndarray) -> float:
        total = (c * w).sum()
        return float(max(abs((c * w)[m].sum() / total - s) for name in names for m, s in masks[name]))

    def fit(w: np.ndarray) -> tuple[np.ndarray, int, bool]:
        for iteration in range(1, max_iter + 1):
            for name in names:
                total = (c * w).sum()
                for mask, share in masks[name]:
                    current = (c * w)[mask].sum() / total
                    if current > 0:
                        w[mask] *= share / current
            if error(w) < tol:
                return w, iteration, True
        return w, max_iter, False

    method = "raking (iterative proportional fitting)"
    w, iterations, converged = fit(np.ones(n))
    w = w * c.sum() / (c * w).sum()
    if cap is None:
        return Weights(w, iterations, converged, method, None if counts is None else c, margin_error=error(w))
    if cap <= 1:
        raise ValueError(f"cap must be above 1 (a multiple of the median weight), got {cap!r}")
    original, limit = w.copy(), cap * weighted_median(w[c > 0], c[c > 0])
    cap_met = False
    for _ in range(rounds):
        if w[c > 0].max() <= limit * (1 + 1e-6):
            cap_met = True
            break
        w, more, converged = fit(_trim(w, c, limit)[0])
        iterations += more
        w = w * c.sum() / (c * w).sum()
    if not cap_met:
        # The margins cannot all hold under the cap: keep them. A weight over the cap costs
        # variance, which the linearised interval shows; a missed margin is bias, which it does not.
        w = original
    count = int(c[(original > limit * (1 + 1e-6)) & (w <= limit * (1 + 1e-6))].sum())
    moved = float((c * np.abs(w - original)).sum() / (2 * c.sum()))
    return Weights(
        w,
        iterations,
        converged,
        method
        + (
            f", trimmed at {cap:g} times the median weight"
            if count
            else f"; no weight above {cap:g} times the median"
            if cap_met
            else f"; not trimmed: {cap:g} times the median cannot hold with the margins"
        ),
        None if counts is None else c,
        cap,
        count,
        moved,
        error(w),
        cap_met,
        float(w[c > 0].max() / weighted_median(w[c > 0], c[c > 0])),
    )
