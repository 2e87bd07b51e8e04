"""Customer value tiers, computed from purchases in SQL and stored on each customer."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update

from analysis.tiers import pyramid
from feedback.extensions import db
from feedback.models import Customer, Purchase
from feedback.models.types import utcnow


def recompute(*, now: datetime | None = None, window_days: int = 365) -> Counter:
    """Place every customer in the pyramid by revenue in the window; returns the tier counts."""
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    now = now or utcnow()
    start = now - timedelta(days=window_days)
    in_window = case((Purchase.purchased_at >= start, Purchase.amount), else_=0)
    rows = db.session.execute(
        select(Customer.id, func.coalesce(func.sum(in_window), 0), func.count(Purchase.id))
        .outerjoin(Purchase, Purchase.customer_id == Customer.id)
        .group_by(Customer.id)
    ).all()
    if not rows:
        return Counter()
    ids = [r[0] for r in rows]
    tiers = pyramid([float(r[1]) for r in rows], [r[2] > 0 for r in rows])
    db.session.execute(update(Customer), [{"id": i, "tier": t} for i, t in zip(ids, tiers, strict=True)])
    db.session.commit()
    return Counter(tiers)
