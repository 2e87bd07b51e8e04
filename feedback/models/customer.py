"""Customers: who bought, how to reach them, and whether they want to hear from us."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    email_normalized: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    properties: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    tier: Mapped[str | None] = mapped_column(String(16))
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opt_out_source: Mapped[str | None] = mapped_column(String(32))
    last_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_customer_tier", "tier"),)

    @property
    def opted_out(self) -> bool:
        return self.opted_out_at is not None

    def __repr__(self) -> str:
        return f"<Customer {self.id} {self.external_id!r}>"
