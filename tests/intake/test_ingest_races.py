"""A customer or purchase inserted by a concurrent request between our lookup and our insert."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select


def _customer_data(external_id: str, name: str):
    from feedback.services.intake.ingest import CustomerData

    return CustomerData(
        external_id=external_id,
        email=None,
        phone=None,
        name=name,
        locale="en",
        time_zone="UTC",
        properties={},
        present={"name"},
    )


def test_a_customer_inserted_meanwhile_is_updated_not_duplicated(ctx, monkeypatch):
    from feedback.extensions import db
    from feedback.models import Customer
    from feedback.services.intake import ingest

    db.session.add(Customer(external_id="c-race", name="First", locale="en", time_zone="UTC", properties={}))
    db.session.commit()
    real_find = ingest.find_customer
    calls = []

    def find_late(data):  # the first lookup misses the row the other request just committed
        calls.append(data.external_id)
        return None if len(calls) == 1 else real_find(data)

    monkeypatch.setattr(ingest, "find_customer", find_late)
    customer, created = ingest.upsert_customer(_customer_data("c-race", "Second"))
    db.session.commit()
    assert created is False and customer.name == "Second"
    assert db.session.scalar(select(func.count()).select_from(Customer)) == 1


def test_a_purchase_recorded_meanwhile_is_returned_not_duplicated(ctx):
    from feedback.extensions import db
    from feedback.models import Purchase
    from feedback.services.intake import ingest

    data = ingest.PurchaseData(
        external_id="o-race",
        customer=_customer_data("c-buyer", "Buyer"),
        purchased_at=datetime(2026, 11, 1, tzinfo=UTC),
        delivered_at=None,
        amount=10,
        currency="USD",
        channel="online",
        items=[],
        properties={},
    )
    first = ingest.record_purchase(data)
    again = ingest.record_purchase(data)  # no lookup before the insert: the unique key decides
    assert first.created is True and again.created is False
    assert again.purchase.id == first.purchase.id
    assert db.session.scalar(select(func.count()).select_from(Purchase)) == 1
