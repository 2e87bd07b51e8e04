"""How well the loop closes: time to first contact and to close, the overdue share, the
recovery rate (closed cases resolved) and, beside it, the share of resolved cases whose customer
says it is fixed (of those who answered the follow-up, "yes"; "partly" is not fixed), per
group, theme and owner, each with n and an interval.

Shares carry a Wilson interval; times are medians in hours, from opening, in calendar time.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from analysis import proportion
from feedback.extensions import db
from feedback.models import Case, StaffUser, StakeholderGroup
from feedback.models.types import utcnow
from feedback.services.insights.sla import aware

DIMENSIONS = ("group", "theme", "owner")


@dataclass(frozen=True)
class Row:
    label: str
    closed: int
    resolved: int
    overdue: int
    cases: int
    first_contact_hours: float | None
    close_hours: float | None
    said: int = 0  # resolved cases whose customer answered "Did we fix it?"
    said_fixed: int = 0  # ...and answered yes

    def rate(self, k: int, n: int) -> dict[str, Any] | None:
        if n == 0:
            return None
        e = proportion(k, n)
        return {"value": e.value, "low": e.low, "high": e.high, "n": n}

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "cases": self.cases,
            "closed": self.closed,
            "recovery": self.rate(self.resolved, self.closed),
            "customer_fixed": self.rate(self.said_fixed, self.said),
            "overdue": self.rate(self.overdue, self.cases),
            "first_contact_hours": self.first_contact_hours,
            "close_hours": self.close_hours,
        }


def _hours(a: datetime | None, b: datetime | None) -> float | None:
    a, b = aware(a), aware(b)
    return None if a is None or b is None else (b - a).total_seconds() / 3600


def _late(case: Case, now: datetime) -> bool:
    """Past a deadline: first contact made late (or not yet, after its due time), or closed late
    (or still open, after its due time)."""
    contact = aware(case.first_contact_at) or now
    done = aware(case.closed_at) or now
    return contact > aware(case.first_contact_due_at) or done > aware(case.due_at)


def report(by: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Rows for ``by`` (group, theme or owner), largest first."""
    now = now or utcnow()
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
    slugs = dict(db.session.execute(select(StakeholderGroup.id, StakeholderGroup.slug)).all())
    owners = dict(db.session.execute(select(StaffUser.id, StaffUser.email)).all())
    buckets: dict[str, list[Case]] = defaultdict(list)
    for case in db.session.scalars(select(Case).where(Case.reason != "promoter_thanks")):
        if by == "group":
            keys = [slugs.get(case.group_id, "—")]
        elif by == "owner":
            keys = [owners.get(case.owner_id, "—")]
        else:
            keys = list(case.themes or []) or ["—"]
        for key in keys:
            buckets[key].append(case)
    rows = [_row(label, items, now) for label, items in buckets.items()]
    return sorted(rows, key=lambda r: (-r["cases"], r["label"]))


def _row(label: str, items: list[Case], now: datetime) -> dict[str, Any]:
    closed = [c for c in items if c.status == "closed"]
    contact = [h for c in items if (h := _hours(c.opened_at, c.first_contact_at)) is not None]
    close = [h for c in closed if (h := _hours(c.opened_at, c.closed_at)) is not None]
    said = [c.customer_says for c in closed if c.outcome == "resolved" and c.customer_says]
    return Row(
        label=label,
        cases=len(items),
        closed=len(closed),
        resolved=sum(c.outcome == "resolved" for c in closed),
        overdue=sum(_late(c, now) for c in items),
        first_contact_hours=round(statistics.median(contact), 1) if contact else None,
        close_hours=round(statistics.median(close), 1) if close else None,
        said=len(said),
        said_fixed=said.count("yes"),
    ).to_dict()


def headline(now: datetime | None = None) -> dict[str, Any]:
    """All cases together, for the sentence that leads the report."""
    now = now or utcnow()
    return _row("", list(db.session.scalars(select(Case).where(Case.reason != "promoter_thanks"))), now)
