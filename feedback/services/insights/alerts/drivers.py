"""The driver line: among the answers behind an alert, the one attribute they crowd into.

Shown only when notably concentrated: at least ``MIN_SHARE`` of at least ``MIN_BEHIND``
answers share one value, and that share is ``MIN_LIFT`` above the value's usual share in the
same segment (a store that takes half of all orders explains nothing by taking half of the
complaints).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Invitation, Purchase, Response
from feedback.services.insights.alerts.messages import N_, word

MIN_BEHIND = 10
MIN_SHARE = 0.5
MIN_LIFT = 0.15
SAMPLE = 20000  # purchase properties are read row by row (JSON), the newest this many
COLUMNS = (
    (N_("store"), Response.store),
    (N_("product category"), Response.category),
    (N_("sales channel"), Response.sales_channel),
    (N_("customer tier"), Response.tier),
)
LINE = N_(
    "%(share)s%% of these %(k)s answers share one %(field)s, %(value)s (against %(base)s%% of all answers "
    "in %(segment)s)."
)


def line(behind, base: list, segment: str) -> dict[str, Any] | None:
    """The driver line's parameters, or None. ``behind`` selects the response ids behind the
    alert; ``base`` holds the conditions on Response for the segment's usual answers."""
    best = None
    for label, column in COLUMNS:
        ours = Counter(
            dict(
                db.session.execute(
                    select(column, func.count()).where(Response.id.in_(behind)).group_by(column)
                ).all()
            )
        )
        usual = Counter(
            dict(db.session.execute(select(column, func.count()).where(*base).group_by(column)).all())
        )
        best = _better(best, word(label), ours, usual)
    ours, usual = _properties(Response.id.in_(behind)), _properties(*base)
    for key in sorted(ours):
        best = _better(best, key, ours[key], usual.get(key, Counter()))
    if best is None:
        return None
    field, value, share, base_share, k = best
    return word(
        LINE,
        share=f"{100 * share:.0f}",
        k=k,
        field=field,
        value=str(value),
        base=f"{100 * base_share:.0f}",
        segment=segment,
    )


def concentrated(ours: Counter, usual: Counter) -> tuple[Any, float, float, int] | None:
    """(value, share, usual share, answers) of the most common known value when notable."""
    k = sum(ours.values())
    known = [(v, c) for v, c in ours.items() if v not in (None, "")]
    if k < MIN_BEHIND or not known:
        return None
    value, count = max(known, key=lambda vc: (vc[1], str(vc[0])))
    share = count / k
    total = sum(usual.values())
    base = usual.get(value, 0) / total if total else 0.0
    if share >= MIN_SHARE and share >= base + MIN_LIFT:
        return value, share, base, k
    return None


def _better(best, field, ours: Counter, usual: Counter):
    found = concentrated(ours, usual)
    if found is None:
        return best
    value, share, base, k = found
    if best is None or share > best[2]:
        return field, value, share, base, k
    return best


def _properties(*conditions) -> dict[str, Counter]:
    """Counts of each purchase property's values (courier, warehouse, ...), store excepted:
    it is a column already."""
    rows = db.session.scalars(
        select(Purchase.properties)
        .join(Invitation, Invitation.purchase_id == Purchase.id)
        .join(Response, Response.invitation_id == Invitation.id)
        .where(*conditions)
        .order_by(Response.id.desc())
        .limit(SAMPLE)
    )
    out: dict[str, Counter] = {}
    for props in rows:
        for key, value in (props or {}).items():
            if key != "store" and isinstance(value, (str, int)) and not isinstance(value, bool):
                out.setdefault(str(key), Counter())[value] += 1
    return out
