"""Purchases and their items: the events that trigger a survey."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base
from feedback.models.customer import Customer
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow


class Purchase(Base):
    __tablename__ = "purchase"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The unique constraint, not a lookup, is what makes a repeated order idempotent.
    external_id: Mapped[str] = mapped_column(String(128), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    channel: Mapped[str | None] = mapped_column(String(32))
    properties: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    purchased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(lazy="raise")
    items: Mapped[list[PurchaseItem]] = relationship(
        back_populates="purchase", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (Index("ix_purchase_customer_id_purchased_at", "customer_id", "purchased_at"),)

    def __repr__(self) -> str:
        return f"<Purchase {self.id} {self.external_id!r}>"


class PurchaseItem(Base):
    __tablename__ = "purchase_item"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchase.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(64), index=True)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    purchase: Mapped[Purchase] = relationship(back_populates="items", lazy="raise")
