"""Customer value tiers: Curry's customer pyramid and ABC analysis by revenue."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

PYRAMID = ("top", "big", "medium", "small", "inactive", "prospect")
PYRAMID_CUTS = (0.01, 0.05, 0.20)  # cumulative shares of active customers: 1%, next 4%, next 15%
ABC_CUTS = (0.80, 0.95)  # cumulative shares of revenue


def pyramid(
    revenue: Sequence[float],
    ever_purchased: Sequence[bool] | None = None,
    cuts: Sequence[float] = PYRAMID_CUTS,
) -> list[str]:
    """Place each customer in the customer pyramid by revenue within the window.

    Active customers (revenue > 0 in the window) are ranked by revenue: the top 1%
    are ``top``, the next 4% ``big``, the next 15% ``medium`` and the other 80%
    ``small``. Customers with no revenue in the window are ``inactive`` if they
    ever bought, otherwise ``prospect``. Each band holds at least one customer when
    there are any active ones (ceil of its share), and tied revenues share a tier.

    References
    ----------
    Curry, J. and Curry, A. (2000). *The Customer Marketing Method*. Free Press.

    Examples
    --------
    >>> pyramid([500, 0, 20, 10, 0], ever_purchased=[True, True, True, True, False])
    ['top', 'inactive', 'small', 'small', 'prospect']
    """
    rev = np.asarray(revenue, dtype=float)
    if rev.ndim != 1:
        raise ValueError("revenue must be one-dimensional")
    if np.isnan(rev).any() or (rev < 0).any():
        raise ValueError("revenue must be non-negative numbers")
    bought = np.ones(rev.shape, bool) if ever_purchased is None else np.asarray(ever_purchased, bool)
    if bought.shape != rev.shape:
        raise ValueError("ever_purchased must have one entry per customer")
    if list(cuts) != sorted(cuts) or not all(0 < c < 1 for c in cuts):
        raise ValueError("cuts must be increasing shares between 0 and 1")
    out = np.where(bought, "inactive", "prospect").astype(object)
    active = np.flatnonzero(rev > 0)
    n = active.size
    if n:
        bounds = [math.ceil(c * n) for c in cuts]
        order = active[np.argsort(-rev[active], kind="stable")]
        # Rank of the first customer with the same revenue, so ties share a tier.
        sorted_rev = rev[order]
        first_rank = np.searchsorted(-sorted_rev, -sorted_rev, side="left")
        labels = np.array(PYRAMID[: len(cuts) + 1], dtype=object)
        tier_index = np.searchsorted(np.asarray(bounds), first_rank, side="right")
        out[order] = labels[tier_index]
    return [str(x) for x in out]


def abc(revenue: Sequence[float], cuts: Sequence[float] = ABC_CUTS) -> list[str]:
    """ABC classes: A brings the first 80% of revenue, B the next 15%, C the rest.

    A customer is in the class where its cumulative revenue share *starts*, so the
    customer who crosses 80% is still A (Pareto convention).

    Examples
    --------
    >>> abc([70, 20, 6, 4])
    ['A', 'A', 'B', 'C']
    """
    rev = np.asarray(revenue, dtype=float)
    if rev.ndim != 1 or np.isnan(rev).any() or (rev < 0).any():
        raise ValueError("revenue must be a one-dimensional list of non-negative numbers")
    total = rev.sum()
    out = np.full(rev.shape, "C", dtype=object)
    if total <= 0:
        return [str(x) for x in out]
    order = np.argsort(-rev, kind="stable")
    before = (np.cumsum(rev[order]) - rev[order]) / total
    classes = np.where(before < cuts[0], "A", np.where(before < cuts[1], "B", "C"))
    out[order] = classes
    return [str(x) for x in out]
