"""Purchases in bulk (CSV import): the API's rules, applied a batch at a time.

Per batch, in a handful of set-based statements: customers are read and written
together; purchases are inserted with ON CONFLICT DO NOTHING on the order id (so repeats
are recognised by the database, as in the API); invitations are decided by the same pure
function as the API's, with the fatigue history loaded once; the outbox rows are made by
one INSERT ... SELECT.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, literal, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from feedback.extensions import db
from feedback.models import Customer, Invitation, OutboxJob, Purchase, PurchaseItem
from feedback.models.types import utcnow
from feedback.services import persist
from feedback.services.dispatch import scheduling
from feedback.services.intake import ingest, tiers

CUSTOMER_FIELDS = (
    "id",
    "external_id",
    "email",
    "email_normalized",
    "phone",
    "name",
    "locale",
    "time_zone",
    "properties",
    "tier",
    "opted_out_at",
    "opt_out_source",
    "last_invited_at",
)


def import_purchases(
    records: list[ingest.PurchaseData], rules: list[scheduling.ActiveRule], now: datetime | None = None
) -> tuple[int, int]:
    """Write one batch (in the caller's transaction); returns (new purchases, repeated order ids)."""
    now = now or utcnow()
    customers = _customers([r.customer for r in records])
    new = _purchases(records, customers)
    _place_first_buyers(records, new, customers)
    if new and rules:
        first = {}
        for r in records:  # an order id repeated within the batch was inserted once: schedule it once
            if r.external_id in new:
                first.setdefault(r.external_id, r)
        _schedule(list(first.values()), new, customers, rules, now)
    return len(new), len(records) - len(new)


def _place_first_buyers(records, new: dict[str, int], customers: dict[str, SimpleNamespace]) -> None:
    placed = {}
    for r in records:
        customer = customers[r.customer.external_id]
        if r.external_id in new and customer.tier is None:
            customer.tier = tiers.first_tier(r.amount)
            placed[customer.id] = customer.tier
    if placed:
        db.session.execute(update(Customer), [{"id": i, "tier": t} for i, t in placed.items()])


ANALYZED_TABLES = ("customer", "purchase", "purchase_item", "invitation", "outbox_job")


def refresh_statistics(before: int, after: int) -> None:
    """Let PostgreSQL re-plan as an import grows the tables.

    Autovacuum analyzes too late for a bulk load: planning against the statistics of a
    nearly empty table, the per-batch lookups scan the whole table, and a 100,000-row
    import turns quadratic. Analyzing each time the imported count doubles (from 1,000)
    costs a handful of sampled ANALYZEs.
    """
    if persist.dialect() != "postgresql":
        return
    if after < 1000 or (before >= 1000 and before.bit_length() == after.bit_length()):
        return
    for table in ANALYZED_TABLES:
        db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()


def _insert(table):
    dialect = persist.dialect()
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def _load_customers(external_ids: set[str]) -> dict[str, SimpleNamespace]:
    columns = [getattr(Customer, f) for f in CUSTOMER_FIELDS]
    rows = db.session.execute(select(*columns).where(Customer.external_id.in_(external_ids)))
    return {row.external_id: SimpleNamespace(**row._mapping) for row in rows}


def _customers(data: list[ingest.CustomerData]) -> dict[str, SimpleNamespace]:
    wanted = {d.external_id for d in data}
    found = _load_customers(wanted)
    fresh: dict[str, SimpleNamespace] = {}
    changed: dict[str, SimpleNamespace] = {}
    for d in data:
        customer = found.get(d.external_id) or fresh.get(d.external_id)
        if customer is None:
            customer = SimpleNamespace(**(dict.fromkeys(CUSTOMER_FIELDS) | {"properties": {}}))
            customer.locale, customer.time_zone = d.locale, d.time_zone
            fresh[d.external_id] = customer
        elif d.external_id in found:
            changed[d.external_id] = customer
        ingest.apply_customer(customer, d)
    stamp = utcnow()
    if fresh:
        rows = [
            {f: getattr(c, f) for f in CUSTOMER_FIELDS if f != "id"}
            | {"created_at": stamp, "updated_at": stamp}
            for c in fresh.values()
        ]
        db.session.execute(
            _insert(Customer.__table__).on_conflict_do_nothing(index_elements=["external_id"]), rows
        )
    if changed:
        db.session.execute(
            update(Customer),
            [
                {f: getattr(c, f) for f in CUSTOMER_FIELDS if f != "external_id"} | {"updated_at": stamp}
                for c in changed.values()
            ],
        )
    return _load_customers(wanted)


def _purchases(records: list[ingest.PurchaseData], customers: dict[str, SimpleNamespace]) -> dict[str, int]:
    """Insert the batch's purchases; returns {order id: purchase id} for those that were new."""
    ids = {r.external_id for r in records}
    known = set(db.session.scalars(select(Purchase.external_id).where(Purchase.external_id.in_(ids))))
    stamp = utcnow()
    rows, seen = [], set()
    for r in records:
        if r.external_id in known or r.external_id in seen:
            continue
        seen.add(r.external_id)
        rows.append(
            {
                "external_id": r.external_id,
                "customer_id": customers[r.customer.external_id].id,
                "amount": r.amount or 0,
                "currency": r.currency,
                "channel": r.channel,
                "properties": r.properties,
                "purchased_at": r.purchased_at,
                "delivered_at": r.delivered_at,
                "created_at": stamp,
            }
        )
    if not rows:
        return {}
    db.session.execute(
        _insert(Purchase.__table__).on_conflict_do_nothing(index_elements=["external_id"]), rows
    )
    new = dict(
        db.session.execute(
            select(Purchase.external_id, Purchase.id).where(
                Purchase.external_id.in_(seen), Purchase.created_at == stamp
            )
        ).all()
    )
    items = [
        {
            "purchase_id": new[r.external_id],
            "sku": item["sku"],
            "name": item["name"],
            "category": item["category"],
            "quantity": item["quantity"],
            "unit_price": item["unit_price"],
        }
        for r in records
        if r.external_id in new
        for item in r.items
    ]
    if items:
        db.session.execute(insert(PurchaseItem.__table__), items)
    return new


def _schedule(
    records, new: dict[str, int], customers: dict[str, SimpleNamespace], rules, now: datetime
) -> None:
    history = _history({c.id for c in customers.values()})
    rows: list[dict[str, Any]] = []
    for r in records:
        customer = customers[r.customer.external_id]
        purchase = SimpleNamespace(
            id=new[r.external_id],
            external_id=r.external_id,
            channel=r.channel,
            amount=r.amount,
            properties=r.properties,
            items=[SimpleNamespace(category=i["category"]) for i in r.items],
            purchased_at=r.purchased_at,
            delivered_at=r.delivered_at,
        )
        known = history[customer.id]
        for active in rules:
            base = purchase.purchased_at if active.rule.trigger == "purchase" else purchase.delivered_at
            if base is None:
                continue

            def fatigued(send_at, days, known=known, customer=customer):
                return scheduling.fatigued_by(customer.last_invited_at, known, send_at, days)

            decision = scheduling.decide(active.rule, purchase, customer, base, now, fatigued)
            rows.append(scheduling.invitation_values(active, purchase, customer, decision))
            if decision.status == "scheduled":
                known.append(decision.send_at)
    if not rows:
        return
    stamp = utcnow()
    db.session.execute(
        insert(Invitation.__table__), [row | {"created_at": stamp, "attempts": 0} for row in rows]
    )
    outbox = OutboxJob.__table__
    db.session.execute(
        insert(outbox).from_select(
            ["kind", "invitation_id", "status", "due_at", "channel", "attempts", "created_at"],
            select(
                literal("invitation"),
                Invitation.id,
                literal("pending"),
                Invitation.send_at,
                Invitation.channel,
                literal(0),
                literal(stamp, type_=OutboxJob.created_at.type),
            ).where(
                Invitation.purchase_id.in_(list(new.values())),
                Invitation.status == "scheduled",
                Invitation.created_at == stamp,
            ),
        )
    )


def _history(customer_ids: set[int]) -> dict[int, list[datetime]]:
    """Send times of each customer's scheduled and sent invitations, for the fatigue window."""
    out: dict[int, list[datetime]] = defaultdict(list)
    if not customer_ids:
        return out
    rows = db.session.execute(
        select(Invitation.customer_id, Invitation.send_at, Invitation.sent_at).where(
            Invitation.customer_id.in_(customer_ids),
            or_(Invitation.status == "scheduled", Invitation.sent_at.is_not(None)),
        )
    )
    for customer_id, send_at, sent_at in rows:
        out[customer_id].append(sent_at or send_at)
    return out
