"""Customers' comments as the voice-of-the-customer side reads them: one row per open-text
answer, with its themes, staff's reading state, notes and corrections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.segments import SegmentColumns
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow

POLARITIES = ("complaint", "praise", "neutral")
THEME_SOURCES = ("rule", "model", "staff")


class Comment(SegmentColumns, Base):
    """An open-text answer of a complete response. ``search_text`` is the text normalised for
    search (letter variants folded, as the theme rules see it); segments are copied from the
    response so the inbox filters without a join."""

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[float | None] = mapped_column(Float)  # the response's NPS (or first scale) answer
    band: Mapped[str | None] = mapped_column(String(16))  # detractor | passive | promoter
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tagged: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped when the rules or model that tagged it change, so a retag knows what is stale.
    tagged_with: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_comment_survey_submitted", "survey_id", "submitted_at", "id"),
        Index("ix_comment_survey_period", "survey_id", "period"),
        Index("ix_comment_submitted", "submitted_at", "id"),
        Index("ix_comment_tagged", "tagged", "submitted_at"),
        # Exports join a response's themes, and deleting a response cascades here.
        Index("ix_comment_response", "response_id"),
    )

    def __repr__(self) -> str:
        return f"<Comment {self.id} answer {self.answer_id}>"


class CommentTheme(Base):
    __tablename__ = "comment_theme"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    polarity: Mapped[str] = mapped_column(String(16), default="neutral")
    source: Mapped[str] = mapped_column(String(8), default="rule")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("comment_id", "code"),
        Index("ix_comment_theme_code", "code", "comment_id"),
    )


class CommentState(Base):
    """One staff member's reading state of one comment."""

    __tablename__ = "comment_state"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)


class CommentNote(Base):
    __tablename__ = "comment_note"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThemeCorrection(Base):
    """A staff member's say on a comment's themes: labelled data for the theme model, and the
    measure of theme quality. The latest correction of a comment is its label."""

    __tablename__ = "theme_correction"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    codes: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    before: Mapped[list[str]] = mapped_column(JSONDoc, default=list)  # what the tagger had said
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
