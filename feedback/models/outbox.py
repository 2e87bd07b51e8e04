"""The outbox: work for the dispatch worker, written in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import BigId, UTCDateTime, utcnow

JOB_KINDS = ("invitation", "reminder")
JOB_STATUSES = ("pending", "leased", "done", "failed", "cancelled")


class OutboxJob(Base):
    """One message to send. A worker leases it; if the worker dies the lease runs out and another takes it."""

    __tablename__ = "outbox_job"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(8))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_outbox_job_status_due_at", "status", "due_at"),
        Index("ix_outbox_job_invitation_id", "invitation_id"),
    )

    def __repr__(self) -> str:
        return f"<OutboxJob {self.id} {self.kind} {self.status}>"
