"""Themes and the stakeholder groups that hear about them: product, quality, sales, service,
management, and any the company adds; a routing table says which theme goes where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base
from feedback.models.types import BigId, JSONDoc, UTCDateTime, utcnow


class Theme(Base):
    """A theme code; the defaults ship with analysis.themes, staff may add more."""

    __tablename__ = "theme"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(64), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A complaint on a severe theme opens a case whatever the score.
    severe: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThemeRules(Base):
    """Staff's additions to a language's rule file, as the rule format's plain data."""

    __tablename__ = "theme_rules"

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))


class StakeholderGroup(Base):
    __tablename__ = "stakeholder_group"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Management sees every theme, routed or not.
    sees_everything: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    # Working hours and holidays ({} is round the clock) and SLA hours per priority ({} is the
    # defaults); see services/insights/sla.py.
    schedule: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    sla: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    digest_frequency: Mapped[str] = mapped_column(String(16), default="weekly")  # daily | weekly | monthly
    # A period with nothing to report: "say_so" sends a digest that says so, "skip" sends none.
    digest_when_empty: Mapped[str] = mapped_column(String(8), default="say_so", server_default="say_so")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StakeholderGroup {self.slug}>"


class GroupMember(Base):
    __tablename__ = "group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    # The member's own digest frequency (daily | weekly | monthly | off); None follows the group.
    digest: Mapped[str | None] = mapped_column(String(16))


class DigestSent(Base):
    """One digest per member, group and period: what makes a second run send nothing."""

    __tablename__ = "digest_sent"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Nothing to report and the group skips empty digests: the period is done, no mail went out.
    skipped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ThemeRoute(Base):
    __tablename__ = "theme_route"

    theme_code: Mapped[str] = mapped_column(ForeignKey("theme.code", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder_group.id", ondelete="CASCADE"), primary_key=True
    )
