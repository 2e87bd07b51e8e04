"""Closing the loop: a case for each unhappy customer, owned by a group, with deadlines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow

STATUSES = ("open", "in_progress", "waiting", "closed")
OUTCOMES = ("resolved", "unresolved", "no_contact")
PRIORITIES = ("high", "normal", "low")
REASONS = ("detractor", "severe_theme", "contact_request", "promoter_thanks")


class Case(Base):
    """One per response at most: the unique response id is what makes opening idempotent."""

    __tablename__ = "follow_up_case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholder_group.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))
    themes: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    score: Mapped[float | None] = mapped_column()
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome: Mapped[str | None] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_contact_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # While waiting on the customer the clock stops; the deadlines move on when it restarts.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    # The customer's answer to "Did we fix it?" after a resolved close: yes | partly | no.
    customer_says: Mapped[str | None] = mapped_column(String(8))
    customer_said_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_case_queue", "status", "due_at"),
        Index("ix_case_group", "group_id", "status"),
    )


class CaseEvent(Base):
    """The case's timeline: opened, assigned, status changes, notes, contact, escalation."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("follow_up_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    # Assignments and escalations are e-mailed by the worker; this says it was done.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseScan(Base):
    """How far the worker has looked for responses that need a case."""

    __tablename__ = "case_scan"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_response_id: Mapped[int] = mapped_column(BigId, default=0)


ALERT_STATES = ("open", "acknowledged", "resolved")


class Alert(Base):
    """Something moved beyond its limits. One row per key (rule, group, segment, metric): a
    repeat bumps ``count`` instead of opening another."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    # theme_share | score | drift | top_tier_severe | gaming | simpson | silence
    kind: Mapped[str] = mapped_column(String(32))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholder_group.id", ondelete="SET NULL"))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    segment: Mapped[str] = mapped_column(String(128), default="")
    metric: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16), default="")
    direction: Mapped[str] = mapped_column(String(8), default="")  # above | below | ""
    value: Mapped[float | None] = mapped_column()
    baseline: Mapped[float | None] = mapped_column()
    threshold: Mapped[float | None] = mapped_column()  # the control limit crossed
    n: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")  # in English, for the API and webhooks
    # The message's msgid and its parameters, so pages and e-mails render it in the reader's
    # language; "" for alerts stored before templates were kept (their message is shown).
    template: Mapped[str] = mapped_column(Text, default="", server_default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict, server_default="{}")
    status: Mapped[str] = mapped_column(String(16), default="open")
    count: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_value: Mapped[float | None] = mapped_column()
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the group was e-mailed about this opening; cleared when the alert reopens.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_alert_group_status", "group_id", "status"),)
