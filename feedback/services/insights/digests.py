"""Digests: an e-mail per group member, weekly on Monday morning by default, that they read.

Each digest shows the group's survey figures for the period (NPS, CSAT and CES with n and
their interval, from the one results function), its own themes' complaints against the
period before, its open alerts and a few of the comments routed to it, with two charts drawn
on the server as PNG images embedded inline (``cid:``): Gmail and Outlook show no SVG. It is
``multipart/related`` HTML (styles inlined with css-inline) with a plain-text part, in the
member's language.

A group's frequency is ``daily``, ``weekly`` (Monday) or ``monthly`` (the 1st), due from 09:00
in the group's time zone; each member may choose another or ``off`` with one click. A digest
is sent once per member, group and period: a second run in the same period sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.models import (
    Comment,
    CommentTheme,
    DigestSent,
    GroupMember,
    StaffUser,
    StakeholderGroup,
    Survey,
)
from feedback.models.types import utcnow
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import alerts, digest_charts, groups, notify, sla
from feedback.services.insights.masking import mask
from feedback.services.reports import results

log = logging.getLogger(__name__)
FREQUENCIES = ("daily", "weekly", "monthly")
CHOICES = (*FREQUENCIES, "off")
SEND_FROM = time(9, 0)
SALT = "candor-digest"


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime
    end: datetime
    due: datetime


def period_of(frequency: str, now: datetime, tz: ZoneInfo) -> Period:
    """The period that has just ended for ``frequency`` at ``now``, and when its digest is due."""
    local = now.astimezone(tz)
    today = local.date()
    if frequency == "daily":
        first, last = today - timedelta(days=1), today
        key = first.isoformat()
    elif frequency == "weekly":
        monday = today - timedelta(days=today.weekday())
        first, last = monday - timedelta(days=7), monday
        iso = first.isocalendar()
        key = f"{iso.year}-W{iso.week:02d}"
    elif frequency == "monthly":
        last = today.replace(day=1)
        first = (last - timedelta(days=1)).replace(day=1)
        key = first.strftime("%Y-%m")
    else:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")

    def at(day: date, clock: time = time(0)) -> datetime:
        return datetime.combine(day, clock, tz).astimezone(UTC)

    return Period(key, at(first), at(last), at(last, SEND_FROM))


def _tz(group: StakeholderGroup) -> ZoneInfo:
    return sla.schedule_of(group.schedule).tz or ZoneInfo("UTC")


def send_due(now: datetime | None = None, sender=None) -> int:
    """Send every digest that is due and not yet sent; returns how many were sent."""
    now = now or utcnow()
    groups.ensure_defaults()
    transport = None
    sent = 0
    # What a digest says depends on the group and the period only (alert messages are rendered
    # in each reader's language later), so it is worked out once for all its members.
    said: dict[tuple[int, str], dict | None] = {}
    for group in groups.all_groups():
        tz = _tz(group)
        for member, user in db.session.execute(
            select(GroupMember, StaffUser)
            .join(StaffUser, StaffUser.id == GroupMember.user_id)
            .where(GroupMember.group_id == group.id, StaffUser.active.is_(True))
            .order_by(StaffUser.id)
        ):
            frequency = member.digest or group.digest_frequency or "weekly"
            if frequency == "off":
                continue
            period = period_of(frequency, now, tz)
            if now < period.due:
                continue
            if db.session.get(DigestSent, (group.id, user.id, period.key)) is not None:
                continue
            key = (group.id, period.key)
            if key not in said:
                try:
                    said[key] = content(group, period)
                except Exception:  # one group whose figures fail never stops the others
                    log.exception("digest content for %s (%s) could not be built", group.slug, period.key)
                    said[key] = None
            facts = said[key]
            if facts is None:
                continue
            if facts["empty"] and group.digest_when_empty == "skip":
                _skip(group, user, period, now)
                continue
            transport = transport or sender or notify.sender()
            try:
                message = build(group, user, frequency, period, facts=facts)
            except Exception:  # one digest that cannot be built never stops the others
                log.exception("digest for %s (%s) could not be built", user.email, group.slug)
                continue
            try:
                with db.session.begin_nested():
                    db.session.add(
                        DigestSent(group_id=group.id, user_id=user.id, period=period.key, sent_at=now)
                    )
                    db.session.flush()
            except IntegrityError:  # another worker took it
                continue
            try:
                transport.send(message)
            except Exception as exc:
                log.warning("digest to %s failed: %s", user.email, exc)
                db.session.rollback()
                continue
            db.session.commit()
            sent += 1
    return sent


def _skip(group: StakeholderGroup, user: StaffUser, period: Period, now: datetime) -> None:
    """Nothing to report and the group skips empty digests: the period is marked done."""
    try:
        with db.session.begin_nested():
            db.session.add(
                DigestSent(group_id=group.id, user_id=user.id, period=period.key, sent_at=now, skipped=True)
            )
            db.session.flush()
    except IntegrityError:  # another worker took it
        return
    db.session.commit()


def _survey() -> Survey | None:
    from feedback.services.design import catalog

    latest = catalog.latest_answered()
    return db.session.get(Survey, latest) if latest else None


def content(group: StakeholderGroup, period: Period) -> dict:
    """What a digest says, as plain data (the e-mail and the tests read the same)."""
    survey = _survey()
    data = results.build(survey, start=period.start, end=period.end) if survey else None
    codes = groups.themes_of(group)
    length = period.end - period.start
    now_counts = _complaints(codes, period.start, period.end)
    before = _complaints(codes, period.start - length, period.start)
    total = db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(Comment.submitted_at >= period.start, Comment.submitted_at < period.end)
    )
    themes = [
        {"code": code, "now": n, "before": before.get(code, 0)}
        for code, n in sorted(now_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    complained = select(CommentTheme.comment_id).where(
        CommentTheme.polarity == "complaint", *([CommentTheme.code.in_(codes)] if codes is not None else [])
    )
    comments = db.session.execute(
        select(Comment.id, Comment.text, Comment.score, Comment.language)
        .where(
            Comment.submitted_at >= period.start,
            Comment.submitted_at < period.end,
            Comment.id.in_(complained),
        )
        .order_by(Comment.submitted_at.desc(), Comment.id.desc())
        .limit(3)
    ).all()
    metrics = {}
    if data:
        for name in ("nps", "csat", "ces"):
            m = (data.get("metrics") or {}).get(name)
            if m and m.get("value") is not None and not m.get("suppressed"):
                metrics[name] = m
    found_alerts = alerts.for_group(group)[:5]
    return {
        "group": group,
        "survey": survey,
        "period": period,
        "metrics": metrics,
        "themes": themes,
        "comments_total": int(total or 0),
        "comments": [{"id": c[0], "text": mask(c[1]), "score": c[2], "language": c[3]} for c in comments],
        "alerts": found_alerts,
        # Nothing to tell: no score, no complaint, no comment and no open alert.
        "empty": not (metrics or themes or total or found_alerts),
    }


def _complaints(codes: list[str] | None, start: datetime, end: datetime) -> dict[str, int]:
    query = (
        select(CommentTheme.code, func.count())
        .join(Comment, Comment.id == CommentTheme.comment_id)
        .where(
            Comment.submitted_at >= start, Comment.submitted_at < end, CommentTheme.polarity == "complaint"
        )
        .group_by(CommentTheme.code)
    )
    if codes is not None:
        query = query.where(CommentTheme.code.in_(codes))
    return dict(db.session.execute(query).all())


def build(
    group: StakeholderGroup, user: StaffUser, frequency: str, period: Period, *, facts: dict | None = None
) -> EmailMessage:
    """The member's digest; ``facts`` is the group's ``content`` for the period, when known."""
    locale = (user.locale or "en").split("-")[0]
    with force_locale(locale):
        facts = facts if facts is not None else content(group, period)
        charts = {"themes": digest_charts.themes_png(facts), "metrics": digest_charts.metrics_png(facts)}
        cids = {name: make_msgid(domain="candor.digest")[1:-1] for name in charts}
        links = {choice: _link(user, group, choice) for choice in CHOICES}
        subject = gettext(
            "%(group)s: your %(frequency)s digest", group=group.name, frequency=_word(frequency)
        )
        extra = {"f": facts, "links": links, "frequency": frequency, "timedelta": timedelta, "lang": locale}
        extra["rtl"] = locale in ("fa", "ar")
        html = render_template("staff_email/digest.html", cids=cids, **extra)
        text = render_template("staff_email/digest.txt", **extra)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = user.email
    message["Subject"] = subject
    message["List-Unsubscribe"] = f"<{links['off']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: mail clients POST
    message.set_content(text)
    message.add_alternative(_inline_css(html), subtype="html")
    html_part = message.get_payload()[1]
    for name, png in charts.items():
        html_part.add_related(
            png, maintype="image", subtype="png", cid=f"<{cids[name]}>", filename=f"{name}.png"
        )
    return message


def _word(frequency: str) -> str:
    return {"daily": gettext("daily"), "weekly": gettext("weekly"), "monthly": gettext("monthly")}[frequency]


def _inline_css(html: str) -> str:
    import css_inline

    return css_inline.inline(html)


# -- choosing how often -------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _link(user: StaffUser, group: StakeholderGroup, choice: str) -> str:
    token = _serializer().dumps([user.id, group.id, choice])
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    return f"{base}/staff/digest/{token}"


def read_link(token: str) -> tuple[GroupMember, StakeholderGroup, str]:
    """The membership, group and choice a digest link names, checked; nothing is changed."""
    try:
        user_id, group_id, choice = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound("this link is not valid") from None
    if not all(type(i) is int and 0 < i < 2**63 for i in (user_id, group_id)):
        raise NotFound("this link is not valid")
    if choice not in CHOICES:
        raise ValidationFailed([("frequency", f"choose one of: {', '.join(CHOICES)}")])
    member = db.session.get(GroupMember, (group_id, user_id))
    user = db.session.get(StaffUser, user_id)
    if member is None or user is None or not user.active:
        raise NotFound("you are no longer a member of this group")
    return member, db.session.get(StakeholderGroup, group_id), choice


def apply_link(token: str) -> tuple[StakeholderGroup, str]:
    """Set the member's frequency that a digest link names; returns the group and the choice."""
    member, group, choice = read_link(token)
    member.digest = choice
    db.session.commit()
    return group, choice
