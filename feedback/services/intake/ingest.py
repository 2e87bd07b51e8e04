"""Customers and purchases coming in (API and CSV): validated, upserted, idempotent.

A repeated order id is recognised by the unique constraint on purchase.external_id,
not by looking first, so two identical requests arriving together still store one
purchase and schedule its invitations once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import or_, select

from feedback.extensions import db
from feedback.models import Customer, Invitation, Purchase, PurchaseItem
from feedback.models.types import utcnow
from feedback.services import persist
from feedback.services.dispatch import scheduling
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.intake import tiers
from feedback.services.validation import Reader

MAX_ITEMS = 200


@dataclass
class CustomerData:
    external_id: str | None
    email: str | None
    phone: str | None
    name: str | None
    locale: str
    time_zone: str
    properties: dict[str, Any]
    last_invited_at: datetime | None = None
    opted_out: bool | None = None
    present: set[str] = field(default_factory=set)


@dataclass
class PurchaseData:
    external_id: str
    customer: CustomerData
    purchased_at: datetime
    delivered_at: datetime | None
    amount: Any
    currency: str
    channel: str | None
    items: list[dict[str, Any]]
    properties: dict[str, Any]


def read_customer(
    data: Any, prefix: str = "", *, require_id: bool = True
) -> tuple[CustomerData | None, list]:
    r = Reader(data, prefix)
    region = current_app.config.get("DEFAULT_PHONE_REGION")
    customer = CustomerData(
        external_id=r.text("id", required=require_id, max_length=128),
        email=r.email("email"),
        phone=r.phone("phone", region),
        name=r.name("name"),
        locale=r.locale("locale"),
        time_zone=r.time_zone("time_zone"),
        properties=r.properties("properties"),
        last_invited_at=r.moment("last_invited_at", now=utcnow()),
        present={k for k in r.data if r.data.get(k) not in (None, "")},
    )
    opted = r.raw("opted_out")
    if opted is not None:
        if isinstance(opted, bool):
            customer.opted_out = opted
        else:
            r.fail("opted_out", "must be true or false")
    return (None if r.errors else customer), r.errors


def read_purchase(data: Any) -> PurchaseData:
    """Validate a purchase body; raise ValidationFailed listing every bad field."""
    r = Reader(data)
    customer, customer_errors = read_customer(r.data.get("customer"), "customer.")
    if r.data.get("customer") is None:
        customer_errors = [("customer", "is required")]
    now = utcnow()
    items = []
    raw_items = r.raw("items") or []
    if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
        r.fail("items", f"must be a list of at most {MAX_ITEMS} items")
        raw_items = []
    for i, raw in enumerate(raw_items):
        ir = Reader(raw, f"items[{i}].")
        item = {
            "sku": ir.text("sku", max_length=64),
            "name": ir.text("name", max_length=200),
            "category": ir.text("category", max_length=64),
            "quantity": 1,
            "unit_price": ir.amount("price"),
        }
        quantity = ir.raw("quantity")
        if quantity is not None:
            if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100_000:
                ir.fail("quantity", "must be a whole number from 1")
            else:
                item["quantity"] = quantity
        r.errors += ir.errors
        items.append(item)
    purchase = PurchaseData(
        external_id=r.text("id", required=True, max_length=128) or "",
        customer=customer,  # type: ignore[arg-type]
        purchased_at=r.moment("purchased_at", required=True, now=now),  # type: ignore[arg-type]
        delivered_at=r.moment("delivered_at", now=now),
        amount=r.amount("amount"),
        currency=r.currency("currency"),
        channel=r.text("channel", max_length=32),
        items=items,
        properties=r.properties("properties"),
    )
    if purchase.delivered_at and purchase.purchased_at and purchase.delivered_at < purchase.purchased_at:
        r.fail("delivered_at", "is before purchased_at")
    errors = r.errors + customer_errors
    if errors:
        raise ValidationFailed(errors, "The purchase is not valid.")
    return purchase


def normalise_email(email: str | None) -> str | None:
    return email.lower() if email else None


def find_customer(data: CustomerData) -> Customer | None:
    """By external id; without one, by e-mail or phone (the same person sent twice)."""
    if data.external_id:
        found = db.session.scalar(select(Customer).where(Customer.external_id == data.external_id))
        if found is not None or data.present & {"email", "phone"} == set():
            return found
    conditions = []
    if data.email:
        conditions.append(Customer.email_normalized == normalise_email(data.email))
    if data.phone:
        conditions.append(Customer.phone == data.phone)
    if not conditions:
        return None
    query = select(Customer).where(or_(*conditions))
    if data.external_id:
        query = query.where(Customer.external_id.is_(None))  # never merge two different known ids
    return db.session.scalars(query.limit(1)).first()


OPT_OUT_KEPT = (
    "an opt-out is cleared only by POST /api/v1/customers/<id>/resubscribe with a reason; "
    "opted_out=false was ignored"
)


def apply_customer(customer: Customer, data: CustomerData) -> list[tuple[str, str]]:
    """Fields that were sent overwrite; fields left out are kept. Returns the fields ignored,
    with why: an opt-out is never cleared by an upsert or an import."""
    ignored: list[tuple[str, str]] = []
    if data.external_id and not customer.external_id:
        customer.external_id = data.external_id
    for name in ("email", "phone", "name", "locale", "time_zone"):
        if name in data.present:
            setattr(customer, name, getattr(data, name))
    if "email" in data.present:
        customer.email_normalized = normalise_email(data.email)
    if data.properties:
        customer.properties = {**(customer.properties or {}), **data.properties}
    if data.last_invited_at and (
        customer.last_invited_at is None or data.last_invited_at > customer.last_invited_at
    ):
        customer.last_invited_at = data.last_invited_at
    if data.opted_out is True and customer.opted_out_at is None:
        customer.opted_out_at, customer.opt_out_source = utcnow(), "import"
    elif data.opted_out is False and customer.opted_out_at is not None:
        ignored.append(("opted_out", OPT_OUT_KEPT))
    return ignored


def upsert_customer(data: CustomerData) -> tuple[Customer, bool]:
    """Insert or update, race-safe: a concurrent insert of the same id turns into an update."""
    customer, created, _ = upsert_customer_reporting(data)
    return customer, created


def upsert_customer_reporting(data: CustomerData) -> tuple[Customer, bool, list[tuple[str, str]]]:
    """``upsert_customer`` and the fields it ignored, with why."""
    customer = find_customer(data)
    if customer is not None:
        return customer, False, apply_customer(customer, data)
    customer = Customer(locale=data.locale, time_zone=data.time_zone, properties={})
    apply_customer(customer, data)
    customer, created = persist.insert_or_existing(customer, lambda: find_customer(data))
    ignored = [] if created else apply_customer(customer, data)
    return customer, created, ignored


@dataclass(frozen=True)
class PurchaseResult:
    purchase: Purchase
    customer: Customer
    created: bool
    outcomes: list[scheduling.Outcome]


def record_purchase(
    data: PurchaseData, *, now: datetime | None = None, commit: bool = True, rules: list | None = None
) -> PurchaseResult:
    """Store the purchase and schedule its invitations in the same transaction."""
    now = now or utcnow()
    customer, _ = upsert_customer(data.customer)
    purchase = Purchase(
        external_id=data.external_id,
        customer=customer,
        amount=data.amount or 0,
        currency=data.currency,
        channel=data.channel,
        properties=data.properties,
        purchased_at=data.purchased_at,
        delivered_at=data.delivered_at,
        items=[PurchaseItem(**item) for item in data.items],
    )
    existing, created = persist.insert_or_existing(
        purchase, lambda: db.session.scalar(select(Purchase).where(Purchase.external_id == data.external_id))
    )
    if not created:
        if commit:
            db.session.commit()
        outcomes = scheduling.outcomes_for(existing)
        return PurchaseResult(
            existing,
            db.session.get(Customer, existing.customer_id),
            False,
            outcomes + scheduling.not_sending(outcomes),
        )
    if customer.tier is None:
        customer.tier = tiers.first_tier(purchase.amount)
    outcomes = scheduling.schedule_purchase(purchase, customer, now=now, rules=rules)
    outcomes += scheduling.not_sending(outcomes)
    if commit:
        db.session.commit()
    return PurchaseResult(purchase, customer, True, outcomes)


def mark_delivered(
    external_id: str, delivered_at: datetime, *, now: datetime | None = None
) -> PurchaseResult:
    """Record the delivery and schedule the surveys that wait for it."""
    purchase = db.session.scalar(select(Purchase).where(Purchase.external_id == external_id))
    if purchase is None:
        raise NotFound(f"no purchase with id {external_id!r}")
    if delivered_at < purchase.purchased_at:
        raise ValidationFailed([("delivered_at", "is before purchased_at")])
    customer = db.session.get(Customer, purchase.customer_id)
    if purchase.delivered_at is None:
        purchase.delivered_at = delivered_at
        scheduling.schedule_purchase(purchase, customer, now=now or utcnow(), trigger="delivery")
    db.session.commit()
    return PurchaseResult(purchase, customer, False, scheduling.outcomes_for(purchase))


def pending_invitations(customer: Customer) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.customer_id == customer.id, Invitation.status == "scheduled")
            .order_by(Invitation.send_at)
        )
    )
