"""Building purchases and sending surveys for the intake and dispatch tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from surveys import DispatchRule
from surveys.templates import transactional_nps

# Purchases happen "now" for the API (it refuses the future and marks old events stale),
# so the tests' clock starts two hours ago, on the hour.
T0 = (datetime.now(UTC) - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)


def survey(app, **rule):
    """A published, sending transactional NPS survey with the given dispatch settings."""
    settings = {
        "delay_hours": 24,
        "channels": ("email",),
        "quiet_hours": None,
        "fatigue_days": 30,
        "rate_per_minute": 100_000,
        "reminder_after_days": None,
        "expires_after_days": 14,
    } | rule
    spec = replace(transactional_nps(), dispatch=DispatchRule(**settings))
    with app.app_context():
        from feedback.services.design import designing

        return designing.create_published(spec, activate=True).id


def purchase(order: str, customer: str, *, at: datetime = T0, email: str | None = "auto", **extra) -> dict:
    body = {
        "id": order,
        "purchased_at": at.isoformat(),
        "amount": "19.90",
        "currency": "EUR",
        "customer": {
            "id": customer,
            "email": f"{customer}@example.com" if email == "auto" else email,
            "locale": "en",
            "time_zone": "Europe/London",
        },
        "items": [{"sku": "A1", "name": "Kettle", "category": "home"}],
    }
    for key, value in extra.items():
        if key.startswith("customer_"):
            body["customer"][key[9:]] = value
        else:
            body[key] = value
    return body


def later(days: float = 2) -> str:
    return (T0 + timedelta(days=days)).isoformat()
