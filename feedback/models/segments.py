"""Segment columns shared by invitations and responses: the fields reports break down by.

They are plain columns, not JSON, so that reports at millions of rows group on them
directly and the population counts come from a covering index.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

# Report field -> column. "channel" is the sales channel; invitations already use "channel"
# for how the message goes out (email or SMS).
FIELD_COLUMNS = {
    "tier": "tier",
    "channel": "sales_channel",
    "region": "region",
    "category": "category",
    "store": "store",
    "locale": "locale",
}


class SegmentColumns:
    tier: Mapped[str | None] = mapped_column(String(16))
    sales_channel: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(64))
    store: Mapped[str | None] = mapped_column(String(64))
    # 'YYYY-MM' of the event (sent or submitted) in UTC, kept so reports need no date functions.
    period: Mapped[str | None] = mapped_column(String(7))

    def set_segments(self, values: dict) -> None:
        for field, column in FIELD_COLUMNS.items():
            if field in values and field != "locale":
                setattr(self, column, values[field])


def period_of(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m") if moment else None
