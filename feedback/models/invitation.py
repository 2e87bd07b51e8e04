"""Invitations: one per survey and purchase, sent or suppressed with a recorded reason."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from feedback.models.base import Base
from feedback.models.customer import Customer
from feedback.models.segments import SegmentColumns, period_of
from feedback.models.types import BigId, UTCDateTime, utcnow

INVITATION_STATUSES = (
    "scheduled",
    "suppressed",
    "sent",
    "failed",
    "responded",
    "expired",
    "cancelled",
)
SUPPRESSION_REASONS = (
    "opted_out",
    "fatigue",
    "sampled_out",
    "no_contact",
    "filtered",
    "inactive_survey",
)


class Invitation(SegmentColumns, Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("survey_version.id", ondelete="SET NULL"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("purchase.id", ondelete="CASCADE"))
    # Only the SHA-256 of the link token is stored. The token is an HMAC of this random nonce under
    # the secret key, so a resend carries the same link, yet the database alone reveals no token.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    suppression_reason: Mapped[str | None] = mapped_column(String(32))
    # The seeded uniform draw that decided sampling, so the sample is provably random.
    sample_draw: Mapped[float | None] = mapped_column(Float)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(lazy="raise")

    __table_args__ = (
        # Exactly one invitation per survey and purchase, enforced by the database.
        UniqueConstraint("survey_id", "purchase_id"),
        Index("ix_invitation_status_send_at", "status", "send_at"),
        Index("ix_invitation_customer_id_sent_at", "customer_id", "sent_at"),
        Index("ix_invitation_survey_id_created_at", "survey_id", "created_at"),
        # Covers the population counts of the partial days at a report window's edges (whole
        # days come from invitation_tally) and the per-minute send throttle: index-only scans.
        Index(
            "ix_invitation_population",
            "survey_id",
            "sent_at",
            "status",
            "tier",
            "sales_channel",
            "region",
            "category",
            "locale",
        ),
    )

    @validates("sent_at")
    def _period(self, _key, value):
        self.period = period_of(value)
        return value

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.status}>"


class InvitationTally(Base):
    """Sent and answered invitations per survey, UTC day of sending and population cell.

    Database triggers on ``invitation`` keep it exact for every insert, status change and
    delete, whatever code path makes them (see migration 0005), so the population counts of
    a report read a few thousand cells instead of millions of invitations. An absent segment
    is stored as '' because NULLs never conflict in a unique key, and the upsert needs one.
    """

    __tablename__ = "invitation_tally"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    sales_channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    region: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    invited: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
