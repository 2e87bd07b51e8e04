"""Recovery, measured: the one short question a customer may get after their case is resolved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import BigId, UTCDateTime, utcnow

FOLLOW_UP_STATUSES = ("scheduled", "suppressed", "sent", "failed", "answered", "expired")
FOLLOW_UP_ANSWERS = ("yes", "partly", "no")


class CaseFollowUp(Base):
    """At most one per case: the unique case id is what keeps a reopened and re-closed case
    from asking the customer twice."""

    __tablename__ = "case_follow_up"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("follow_up_case.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    # The invitation the case's response answered: its channel is reused, and it does not count
    # towards fatigue (the follow-up belongs to the same conversation).
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"))
    channel: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    suppression_reason: Mapped[str | None] = mapped_column(String(32))
    # As for invitations: the link token is an HMAC of this nonce, and only its SHA-256 is stored.
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_case_follow_up_status_send_at", "status", "send_at"),
        Index("ix_case_follow_up_customer_sent_at", "customer_id", "sent_at"),
    )

    def __repr__(self) -> str:
        return f"<CaseFollowUp {self.id} case {self.case_id} {self.status}>"
