"""`tiers.recompute` never adds amounts in different currencies as if they were one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest


def _shop(currencies: list[str]):
    from feedback.extensions import db
    from feedback.models import Customer, Purchase
    from feedback.models.types import utcnow

    now = utcnow()
    customers = [Customer(external_id=f"c{i}") for i in range(len(currencies))]
    db.session.add_all(customers)
    db.session.flush()
    for i, (c, currency) in enumerate(zip(customers, currencies, strict=True)):
        amount = Decimal(100 - i)
        db.session.add(
            Purchase(
                external_id=f"o{i}",
                customer_id=c.id,
                amount=amount,
                currency=currency,
                purchased_at=now - timedelta(days=5),
            )
        )
    db.session.commit()
    return customers


def test_mixed_currencies_are_refused_by_name(ctx):
    from feedback.extensions import db
    from feedback.models import Customer
    from feedback.services.errors import Conflict
    from feedback.services.intake import tiers

    customers = _shop(["USD"] * 5 + ["JPY"] * 5 + ["EUR"])
    with pytest.raises(tiers.MixedCurrencies, match=r"several currencies \(EUR, JPY, USD\)") as raised:
        tiers.recompute()
    assert isinstance(raised.value, Conflict)
    db.session.expire_all()
    assert {db.session.get(Customer, c.id).tier for c in customers} == {None}  # nothing was ranked


def test_mixed_currencies_are_ranked_after_conversion_with_supplied_rates(ctx):
    from feedback.extensions import db
    from feedback.models import Customer
    from feedback.services.intake import tiers

    # 100, 99, 98 dollars; 97 and 96 yen, worth under a dollar each.
    customers = _shop(["USD", "USD", "USD", "JPY", "JPY"])
    with pytest.raises(tiers.MixedCurrencies, match="no exchange rate for JPY"):
        tiers.recompute(rates={"USD": 1})
    counts = tiers.recompute(rates={"USD": Decimal(1), "JPY": Decimal("0.0067")})
    assert counts == {"top": 1, "big": 1, "medium": 1, "small": 2}
    db.session.expire_all()
    placed = [db.session.get(Customer, c.id).tier for c in customers]
    assert placed == ["top", "big", "medium", "small", "small"]


def test_one_currency_needs_no_rates(ctx):
    from feedback.services.intake import tiers

    _shop(["EUR"] * 4)
    assert tiers.recompute() == {"top": 1, "big": 1, "medium": 1, "small": 1}


def test_the_cli_says_why_it_refuses(app, runner):
    with app.app_context():
        _shop(["USD", "EUR"])
    result = runner.invoke(args=["tiers"])
    assert result.exit_code == 1
    assert "several currencies (EUR, USD)" in result.output and "Traceback" not in result.output
