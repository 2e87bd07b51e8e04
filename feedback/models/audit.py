"""An append-only record of who did what: logins, publishing, overrides, keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None]
    actor_label: Mapped[str | None] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))

    __table_args__ = (Index("ix_audit_event_target", "target_type", "target_id"),)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"
