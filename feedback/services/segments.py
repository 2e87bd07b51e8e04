"""The attributes reports break down by, snapshotted on invitations and responses."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

SEGMENT_FIELDS = ("tier", "channel", "region", "category", "store", "locale")
# Units that hand surveys out themselves, where scores can be gamed; compared with their peers.
UNIT_FIELDS = ("store",)
# Fields worth comparing respondents against invitees on (store is too fine-grained).
POPULATION_FIELDS = ("tier", "channel", "region", "category", "locale")


def snapshot(customer: Any, purchase: Any | None = None, category: str | None = None) -> dict[str, Any]:
    """Segment values for one customer and purchase, as they are now."""
    props = customer.properties or {}
    purchase_props = (purchase.properties or {}) if purchase is not None else {}
    return {
        "tier": customer.tier,
        "channel": purchase.channel if purchase is not None else None,
        "region": props.get("region"),
        "category": category,
        "store": purchase_props.get("store"),
        "locale": customer.locale,
    }


def check_field(field: str | None) -> str | None:
    if field is not None and field not in SEGMENT_FIELDS:
        from feedback.services.errors import ValidationFailed

        raise ValidationFailed(
            [("by", gettext("break down by one of %(choices)s", choices=", ".join(SEGMENT_FIELDS)))]
        )
    return field
