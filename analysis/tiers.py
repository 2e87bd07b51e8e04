"""Customer value tiers: Curry's customer pyramid and ABC analysis by revenue."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

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
    ever bought, otherwise ``prospect``. Revenue must be in one currency: see
    `revenue_in_one_currency`.

    Band sizes: with ``n`` active customers, band k ends at rank ``ceil(cuts[k] * n)``,
    but at least one rank after the previous band ends and never after ``n``; the
    base takes the rest. So without ties ``top``, ``big`` and ``medium`` each hold
    at least one customer while there are customers left (every band is filled from
    four active customers on), and each band holds its share rounded up.

    Ties: customers with the same revenue share a tier, the tier of the middle rank
    of their group (mid-ranks; for an even group, the better of the two middle
    ranks). A tie group that straddles a boundary is therefore placed where most of
    it falls, not pushed up: 30 of 100 tied at the top hold ranks 1-30 and are all
    ``medium``, and ``top`` and ``big`` stay empty. A band then exceeds its size
    above by less than one tie group: at most by the largest group in it, minus one.

    References
    ----------
    Curry, J. and Curry, A. (2000). *The Customer Marketing Method*. Free Press.
    Kendall, M. G. and Gibbons, J. D. (1990). *Rank Correlation Methods*, 5th ed.
    Edward Arnold (mid-ranks for tied values).

    Examples
    --------
    >>> pyramid([500, 0, 20, 10, 0], ever_purchased=[True, True, True, True, False])
    ['top', 'inactive', 'big', 'medium', 'prospect']
    >>> pyramid([90, 90, 90, 50, 40, 30, 20, 10])
    ['big', 'big', 'big', 'small', 'small', 'small', 'small', 'small']
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
        order = active[np.argsort(-rev[active], kind="stable")]
        sorted_rev = -rev[order]
        # 0-based ranks where each customer's tie group starts and ends, and its middle rank.
        start = np.searchsorted(sorted_rev, sorted_rev, side="left")
        end = np.searchsorted(sorted_rev, sorted_rev, side="right")
        middle = start + (end - start - 1) // 2
        labels = np.array(PYRAMID[: len(cuts) + 1], dtype=object)
        out[order] = labels[np.searchsorted(_band_ends(n, cuts), middle, side="right")]
    return [str(x) for x in out]


def _band_ends(n: int, cuts: Sequence[float]) -> np.ndarray:
    """Where each ranked band ends (exclusive, 0-based): share rounded up, one past the last, at most n."""
    ends, previous = [], 0
    for c in cuts:
        # round() first, so that a share like 0.07 * 100 = 7.000000000000001 is not rounded up to 8.
        previous = min(n, max(math.ceil(round(c * n, 9)), previous + 1))
        ends.append(previous)
    return np.asarray(ends)


def revenue_in_one_currency(
    by_currency: Mapping[str, Sequence[float]], rates: Mapping[str, float] | None = None
) -> np.ndarray:
    """Each customer's revenue in one currency, from their revenue per currency (one list per currency).

    Amounts in different currencies are never added as they stand. With one currency
    the amounts are returned; with several, ``rates`` (units of the reporting currency
    per unit of each currency, for the ranking's window, supplied by the company) must
    cover every currency, or a ``ValueError`` names the currencies.

    Examples
    --------
    >>> by_currency = {"EUR": [10.0, 0.0], "USD": [0.0, 5.0]}
    >>> revenue_in_one_currency(by_currency, rates={"EUR": 1.1, "USD": 1.0}).tolist()
    [11.0, 5.0]
    >>> revenue_in_one_currency(by_currency)
    Traceback (most recent call last):
    ...
    ValueError: revenue is in several currencies (EUR, USD); supply exchange rates ...
    """
    names = sorted(by_currency)
    amounts = [np.asarray(by_currency[c], dtype=float) for c in names]
    if len({a.shape for a in amounts}) > 1 or any(a.ndim != 1 for a in amounts):
        raise ValueError("by_currency must give the same number of customers for every currency")
    if not names:
        return np.zeros(0)
    if rates is None:
        if len(names) > 1:
            raise ValueError(
                f"revenue is in several currencies ({', '.join(names)}); supply exchange rates to one "
                "currency, or rank each currency separately"
            )
        return amounts[0]
    missing = [c for c in names if c not in rates]
    if missing:
        raise ValueError(f"no exchange rate for {', '.join(missing)}")
    if any(not (math.isfinite(float(rates[c])) and float(rates[c]) > 0) for c in names):
        raise ValueError("rates must be positive numbers")
    return sum(a * float(rates[c]) for c, a in zip(names, amounts, strict=True))


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
