"""The comments inbox: every comment, searchable and filtered, a page at a time, with each
staff member's reading state and notes. Contact details are masked for roles without the
``see_contacts`` permission."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, func, or_, select, text

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import Comment, CommentNote, CommentState, CommentTheme, Customer, StaffUser, Survey
from feedback.models.types import utcnow
from feedback.services import accounts, persist
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import groups
from feedback.services.insights.collect import search_fold
from feedback.services.insights.masking import mask

PAGE = 50
BANDS = ("detractor", "passive", "promoter")
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Filters:
    survey: int | None = None
    theme: str | None = None
    group: str | None = None
    band: str | None = None
    language: str | None = None
    q: str | None = None
    untagged: bool = False
    starred: bool = False
    unread: bool = False
    since: datetime | None = None
    segments: dict[str, str] = field(default_factory=dict)


def _search(q: str, language: str | None):
    """Words of ``q``, folded as comments are, each matched as a prefix."""
    words = WORD.findall(search_fold(q, language or engine.detect_language(q)))[:8]
    if not words:
        return None
    if persist.dialect() == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        return func.to_tsvector("simple", Comment.search_text).op("@@")(func.to_tsquery("simple", query))
    match = " ".join(f'"{w}"*' for w in words)
    return Comment.id.in_(
        select(text("rowid"))
        .select_from(text("comment_fts"))
        .where(text("comment_fts MATCH :m"))
        .params(m=match)
    )


def _conditions(f: Filters, viewer: StaffUser | None) -> list:
    out = []
    if f.survey is not None:
        out.append(Comment.survey_id == f.survey)
    if f.band:
        out.append(Comment.band == f.band)
    if f.language:
        out.append(Comment.language == f.language)
    if f.since is not None:
        out.append(Comment.submitted_at >= f.since)
    for column, value in f.segments.items():
        out.append(getattr(Comment, column) == value)
    if f.untagged:
        out.append(Comment.tagged.is_(False))
    if f.theme:
        out.append(Comment.id.in_(select(CommentTheme.comment_id).where(CommentTheme.code == f.theme)))
    if f.group:
        codes = groups.themes_of(groups.by_slug(f.group))
        if codes is not None:
            out.append(Comment.id.in_(select(CommentTheme.comment_id).where(CommentTheme.code.in_(codes))))
    if f.q:
        found = _search(f.q, f.language)
        if found is not None:
            out.append(found)
    if viewer is None:  # an API client has no reading state
        return out
    mine = select(CommentState.comment_id).where(CommentState.user_id == viewer.id)
    if f.starred:
        out.append(Comment.id.in_(mine.where(CommentState.starred.is_(True))))
    if f.unread:
        out.append(Comment.id.not_in(mine.where(CommentState.read_at.is_not(None))))
    return out


def encode_cursor(moment: datetime, ident: int) -> str:
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{ident}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, ident = raw.partition("|")
        if not (ident.isascii() and ident.isdigit()) or int(ident) >= 2**63:
            raise ValueError
        return datetime.fromisoformat(moment), int(ident)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed([("cursor", gettext("not a cursor from a previous page"))]) from None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    untagged: int
    total: int


def page(f: Filters, viewer: StaffUser | None, cursor: str | None = None, limit: int = PAGE) -> Page:
    """Newest first, ``limit`` at a time (keyset: submitted time, then id). ``viewer`` None is
    an API client: no reading state, and contact details always masked."""
    conditions = _conditions(f, viewer)
    after = decode_cursor(cursor)
    query = select(Comment, Survey.name).join(Survey, Survey.id == Comment.survey_id).where(*conditions)
    if after is not None:
        moment, ident = after
        query = query.where(
            or_(Comment.submitted_at < moment, and_(Comment.submitted_at == moment, Comment.id < ident))
        )
    rows = db.session.execute(
        query.order_by(Comment.submitted_at.desc(), Comment.id.desc()).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = _items(rows, viewer)
    scope = _conditions(Filters(**{**f.__dict__, "untagged": False, "theme": None}), viewer)
    untagged = db.session.scalar(
        select(func.count()).select_from(Comment).where(*scope, Comment.tagged.is_(False))
    )
    total = db.session.scalar(select(func.count()).select_from(Comment).where(*conditions))
    cursor_out = encode_cursor(rows[-1][0].submitted_at, rows[-1][0].id) if more and rows else None
    return Page(items, cursor_out, int(untagged or 0), int(total or 0))


def _items(rows: list, viewer: StaffUser | None) -> list[dict[str, Any]]:
    ids = [c.id for c, _ in rows]
    themes: dict[int, list[dict]] = {}
    if ids:
        for t in db.session.scalars(select(CommentTheme).where(CommentTheme.comment_id.in_(ids))):
            themes.setdefault(t.comment_id, []).append(
                {
                    "code": t.code,
                    "polarity": t.polarity,
                    "source": t.source,
                    "confidence": round(t.confidence, 3),
                }
            )
    states = (
        {
            s.comment_id: s
            for s in db.session.scalars(
                select(CommentState).where(
                    CommentState.user_id == viewer.id, CommentState.comment_id.in_(ids)
                )
            )
        }
        if ids and viewer is not None
        else {}
    )
    notes = (
        dict(
            db.session.execute(
                select(CommentNote.comment_id, func.count())
                .where(CommentNote.comment_id.in_(ids))
                .group_by(CommentNote.comment_id)
            ).all()
        )
        if ids
        else {}
    )
    contacts = viewer is not None and accounts.can(viewer, "see_contacts")
    return [
        {
            "id": c.id,
            "text": c.text if contacts else mask(c.text),
            "score": c.score,
            "band": c.band,
            "survey": {"id": c.survey_id, "name": name},
            "language": c.language,
            "submitted_at": c.submitted_at,
            "segments": {
                "tier": c.tier,
                "channel": c.sales_channel,
                "region": c.region,
                "category": c.category,
            },
            "themes": sorted(themes.get(c.id, []), key=lambda t: t["code"]),
            "read": bool(states.get(c.id) and states[c.id].read_at),
            "starred": bool(states.get(c.id) and states[c.id].starred),
            "notes": int(notes.get(c.id, 0)),
        }
        for c, name in rows
    ]


def one(comment_id: int, viewer: StaffUser | None) -> dict[str, Any]:
    """A comment with its notes; the customer's contact details only for ``see_contacts``."""
    row = db.session.execute(
        select(Comment, Survey.name)
        .join(Survey, Survey.id == Comment.survey_id)
        .where(Comment.id == comment_id)
    ).first()
    if row is None:
        raise NotFound(gettext("comment %(id)s does not exist", id=comment_id))
    item = _items([row], viewer)[0]
    item["note_list"] = [
        {"text": n.text, "at": n.created_at, "by": email}
        for n, email in db.session.execute(
            select(CommentNote, StaffUser.email)
            .outerjoin(StaffUser, StaffUser.id == CommentNote.user_id)
            .where(CommentNote.comment_id == comment_id)
            .order_by(CommentNote.id)
        )
    ]
    item["customer"] = None
    comment = row[0]
    if comment.customer_id is not None and viewer is not None and accounts.can(viewer, "see_contacts"):
        customer = db.session.get(Customer, comment.customer_id)
        if customer is not None:
            item["customer"] = {
                "id": customer.external_id,
                "name": customer.name,
                "email": customer.email,
                "phone": customer.phone,
                "opted_out": customer.opted_out,
            }
    return item


def _state(comment_id: int, viewer: StaffUser) -> CommentState:
    if db.session.get(Comment, comment_id) is None:
        raise NotFound(gettext("comment %(id)s does not exist", id=comment_id))
    state = db.session.get(CommentState, (comment_id, viewer.id))
    if state is None:
        state = CommentState(comment_id=comment_id, user_id=viewer.id, starred=False)
        db.session.add(state)
    return state


def mark_read(comment_id: int, viewer: StaffUser, read: bool = True) -> None:
    _state(comment_id, viewer).read_at = utcnow() if read else None
    db.session.commit()


def star(comment_id: int, viewer: StaffUser, starred: bool) -> None:
    _state(comment_id, viewer).starred = starred
    db.session.commit()


def add_note(comment_id: int, viewer: StaffUser, note: str) -> None:
    note = (note or "").strip()
    if not 1 <= len(note) <= 4000:
        raise ValidationFailed([("note", gettext("write 1-4000 characters"))])
    if db.session.get(Comment, comment_id) is None:
        raise NotFound(gettext("comment %(id)s does not exist", id=comment_id))
    db.session.add(CommentNote(comment_id=comment_id, user_id=viewer.id, text=note))
    db.session.commit()
