"""Customer value tiers, computed from purchases in SQL and stored on each customer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, insert, select, update

from analysis.tiers import PYRAMID, pyramid, revenue_in_one_currency
from feedback.extensions import db
from feedback.models import Customer, Purchase, TierCutoff
from feedback.models.types import utcnow
from feedback.services.errors import Conflict

RANKED = PYRAMID[:3]  # top, big, medium: the bands a new buyer can reach by revenue alone


class MixedCurrencies(Conflict):
    """Purchases in the window are in several currencies and no exchange rates cover them all."""


def recompute(
    *, now: datetime | None = None, window_days: int = 365, rates: Mapping[str, Decimal | float] | None = None
) -> Counter:
    """Place every customer in the pyramid by revenue in the window; returns the tier counts.

    Revenue in several currencies is converted with ``rates`` (units of one reporting
    currency per unit of each, for the window); without them, `MixedCurrencies` names
    the currencies instead of adding, say, yen to dollars."""
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    now = now or utcnow()
    start = now - timedelta(days=window_days)
    rows = db.session.execute(
        select(Customer.id, func.count(Purchase.id))
        .outerjoin(Purchase, Purchase.customer_id == Customer.id)
        .group_by(Customer.id)
    ).all()
    if not rows:
        return Counter()
    ids = [r[0] for r in rows]
    position = {customer_id: k for k, customer_id in enumerate(ids)}
    by_currency: dict[str, list[float]] = {}
    for customer_id, currency, amount in db.session.execute(
        select(Purchase.customer_id, Purchase.currency, func.sum(Purchase.amount))
        .where(Purchase.purchased_at >= start)
        .group_by(Purchase.customer_id, Purchase.currency)
    ):
        by_currency.setdefault(currency, [0.0] * len(ids))[position[customer_id]] += float(amount or 0)
    try:
        revenue = revenue_in_one_currency(by_currency, rates).tolist() if by_currency else [0.0] * len(ids)
    except ValueError as exc:
        raise MixedCurrencies(f"Cannot rank customers by revenue: {exc}.") from None
    tiers = pyramid(revenue, [r[1] > 0 for r in rows])
    db.session.execute(update(Customer), [{"id": i, "tier": t} for i, t in zip(ids, tiers, strict=True)])
    store_cutoffs(revenue, tiers, now)
    db.session.commit()
    return Counter(tiers)


def store_cutoffs(revenue: list[float], tiers: list[str], now: datetime) -> None:
    """Keep the lowest revenue in each ranked tier, for placing first-time buyers."""
    lowest: dict[str, float] = {}
    for value, tier in zip(revenue, tiers, strict=True):
        if tier in RANKED:
            lowest[tier] = min(value, lowest.get(tier, value))
    db.session.execute(delete(TierCutoff))
    if lowest:
        rows = [
            {"tier": t, "min_revenue": Decimal(f"{v:.2f}"), "computed_at": now} for t, v in lowest.items()
        ]
        db.session.execute(insert(TierCutoff), rows)


def first_tier(amount: Decimal | float | None) -> str:
    """The tier of a customer's first purchase, by the revenue each tier started at when tiers
    were last computed; ``small`` (the pyramid's base) until then. `feedback tiers` ranks
    everyone again, this customer included."""
    cutoffs = dict(db.session.execute(select(TierCutoff.tier, TierCutoff.min_revenue)).all())
    value = Decimal(str(amount or 0))
    for tier in RANKED:
        if tier in cutoffs and value >= cutoffs[tier]:
            return tier
    return "small"
