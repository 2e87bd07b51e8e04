"""Responses and their answers, always tied to the survey version that was answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from feedback.models.base import Base
from feedback.models.segments import SegmentColumns, period_of
from feedback.models.types import BigId, JSONDoc, JSONOrNull, UTCDateTime, utcnow

RESPONSE_SOURCES = ("invitation", "open_link", "import")
# "partial" until the last page is submitted; reports count "complete" responses only.
RESPONSE_STATUSES = ("partial", "complete")


class Response(SegmentColumns, Base):
    __tablename__ = "response"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="RESTRICT"))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), unique=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    # Open-link answers are not a random sample; analysis must be able to tell them apart.
    source: Mapped[str] = mapped_column(String(16), default="invitation")
    locale: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(16), default="partial")
    page: Mapped[int] = mapped_column(Integer, default=1)
    # Any further attributes as they were when the customer answered; the standard ones are columns.
    segments: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    review_prompted: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        # Trailing source and review_prompted make the response-mix count of every report index-only.
        Index(
            "ix_response_survey_id_status_submitted_at",
            "survey_id",
            "status",
            "submitted_at",
            "source",
            "review_prompted",
        ),
        Index("ix_response_customer_id", "customer_id"),
        Index("ix_response_survey_id_period", "survey_id", "status", "source", "period"),
    )

    @validates("submitted_at")
    def _period(self, _key, value):
        self.period = period_of(value)
        return value

    def __repr__(self) -> str:
        return f"<Response {self.id} {self.status}>"


class Answer(Base):
    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="RESTRICT"))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    choices: Mapped[list[str] | None] = mapped_column(JSONOrNull)

    response: Mapped[Response] = relationship(back_populates="answers", lazy="raise")

    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        # Covers the score counts: question, then the response to join on, then the score.
        Index("ix_answer_question_id_response_id_number", "question_id", "response_id", "number"),
    )
