"""Surveys, their frozen published versions, questions and dispatch rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow

SURVEY_STATUSES = ("draft", "active", "paused", "archived")
VERSION_STATUSES = ("draft", "published")


class Survey(Base):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    open_link_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    review_prompt_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Deleting a survey deletes its versions and rule through the foreign keys' ON DELETE CASCADE.
    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", lazy="raise", passive_deletes="all"
    )
    rule: Mapped[DispatchRule | None] = relationship(
        back_populates="survey", lazy="raise", passive_deletes="all"
    )

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.key!r}>"


class SurveyVersion(Base):
    """One immutable snapshot once published: responses always point at the version they saw."""

    __tablename__ = "survey_version"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    locales: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    override_reason: Mapped[str | None] = mapped_column(String(1000))

    survey: Mapped[Survey] = relationship(back_populates="versions", lazy="raise")
    questions: Mapped[list[Question]] = relationship(
        back_populates="version",
        order_by="Question.position",
        lazy="selectin",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("survey_id", "number"),
        Index("ix_survey_version_survey_id_status", "survey_id", "status"),
    )

    def __repr__(self) -> str:
        return f"<SurveyVersion {self.survey_id} v{self.number} {self.status}>"


class Question(Base):
    """A question row per version, so answers can reference it and reports filter by role."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32), default="other")
    attribute: Mapped[str | None] = mapped_column(String(64))
    page: Mapped[int] = mapped_column(Integer, default=1)

    version: Mapped[SurveyVersion] = relationship(back_populates="questions", lazy="raise")

    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        Index("ix_question_role", "role", "version_id"),
    )


class DispatchRule(Base):
    """How a survey goes out after a purchase; mirrors surveys.DispatchRule."""

    __tablename__ = "dispatch_rule"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    trigger: Mapped[str] = mapped_column(String(16), default="purchase")
    delay_hours: Mapped[float] = mapped_column(Float, default=24.0)
    channels: Mapped[str] = mapped_column(String(32), default="email")
    sampling: Mapped[float] = mapped_column(Float, default=1.0)
    sampling_seed: Mapped[str] = mapped_column(String(64), default="")
    fatigue_days: Mapped[int] = mapped_column(Integer, default=30)
    quiet_start: Mapped[str | None] = mapped_column(String(5), default="21:00")
    quiet_end: Mapped[str | None] = mapped_column(String(5), default="09:00")
    rate_per_minute: Mapped[int] = mapped_column(Integer, default=60)
    reminder_after_days: Mapped[int | None] = mapped_column(Integer, default=3)
    expires_after_days: Mapped[int] = mapped_column(Integer, default=14)
    filters: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    # When fatigue allows only one survey for a purchase, the higher priority is scheduled first.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    survey: Mapped[Survey] = relationship(back_populates="rule", lazy="raise")
