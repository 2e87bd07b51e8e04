"""The revenue each value tier started at when tiers were last computed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import UTCDateTime, utcnow


class TierCutoff(Base):
    """A new buyer is placed by these until `feedback tiers` ranks everyone again."""

    __tablename__ = "tier_cutoff"

    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    min_revenue: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<TierCutoff {self.tier} >= {self.min_revenue}>"
