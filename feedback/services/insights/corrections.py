"""Staff's corrections of a comment's themes: labelled data for the theme model, and the
measure of how well tagging does on the company's own comments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import delete, func, select

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import Comment, CommentTheme, StaffUser, Theme, ThemeCorrection
from feedback.services import audit
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import groups


def correct(comment_id: int, codes: list[str], actor: StaffUser | None) -> list[str]:
    """Set a comment's themes as staff say; the tagger's view before is kept beside it."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(gettext("comment %(id)s does not exist", id=comment_id))
    groups.ensure_defaults()
    known = set(db.session.scalars(select(Theme.code).where(Theme.active.is_(True))))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationFailed(
            [("themes", gettext("unknown themes: %(codes)s", codes=", ".join(map(str, unknown))))]
        )
    codes = sorted(dict.fromkeys(codes))
    current = {
        t.code: t
        for t in db.session.scalars(select(CommentTheme).where(CommentTheme.comment_id == comment_id))
    }
    first = db.session.scalar(
        select(ThemeCorrection.before)
        .where(ThemeCorrection.comment_id == comment_id)
        .order_by(ThemeCorrection.id)
    )
    before = first if first is not None else sorted(c for c, t in current.items() if t.source != "staff")
    db.session.execute(
        delete(CommentTheme).where(CommentTheme.comment_id == comment_id, CommentTheme.code.not_in(codes))
    )
    for code in codes:
        if code not in current:
            polarity = _polarity(comment, code)
            db.session.add(
                CommentTheme(
                    comment_id=comment_id, code=code, polarity=polarity, source="staff", confidence=1.0
                )
            )
    comment.tagged = bool(codes)
    db.session.add(
        ThemeCorrection(
            comment_id=comment_id, user_id=actor.id if actor else None, codes=codes, before=before
        )
    )
    audit.record("themes_corrected", actor=actor, target=comment, codes=codes, before=before)
    db.session.commit()
    return codes


def _polarity(comment: Comment, code: str) -> str:
    # The tagger's polarity for a theme it had not seen, when it can tell; else by the score.
    for t in engine.tag(comment.text, comment.language):
        if t.code == code:
            return t.polarity
    if code == "feature_request":
        return "neutral"
    return "complaint" if (comment.score is not None and comment.score <= 6) else "neutral"


@dataclass(frozen=True)
class ThemeQuality:
    code: str
    precision: float | None
    recall: float | None
    tagged: int  # comments the tagger gave the theme, among those corrected
    labelled: int  # comments staff say have it
    agreed: int

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def quality() -> tuple[list[ThemeQuality], int]:
    """Precision and recall of the tagger per theme, on every comment staff corrected (the
    latest correction is the label; the tagger's first view is what it said)."""
    latest = (
        select(ThemeCorrection.comment_id, func.max(ThemeCorrection.id).label("last"))
        .group_by(ThemeCorrection.comment_id)
        .subquery()
    )
    labels = db.session.execute(
        select(ThemeCorrection.comment_id, ThemeCorrection.codes).join(
            latest, latest.c.last == ThemeCorrection.id
        )
    ).all()
    firsts = dict(
        db.session.execute(
            select(ThemeCorrection.comment_id, ThemeCorrection.before).order_by(ThemeCorrection.id.desc())
        ).all()
    )
    said, truth, both = Counter(), Counter(), Counter()
    for comment_id, codes in labels:
        before = set(firsts.get(comment_id) or [])
        after = set(codes or [])
        said.update(before)
        truth.update(after)
        both.update(before & after)
    codes = sorted(set(said) | set(truth))
    out = [
        ThemeQuality(
            code,
            both[code] / said[code] if said[code] else None,
            both[code] / truth[code] if truth[code] else None,
            said[code],
            truth[code],
            both[code],
        )
        for code in codes
    ]
    return out, len(labels)


def labelled_examples() -> list[tuple[str, str, set[str]]]:
    """(text, language, codes) of every corrected comment, for training the theme model."""
    latest = (
        select(ThemeCorrection.comment_id, func.max(ThemeCorrection.id).label("last"))
        .group_by(ThemeCorrection.comment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Comment.text, Comment.language, ThemeCorrection.codes)
        .join(ThemeCorrection, ThemeCorrection.comment_id == Comment.id)
        .join(latest, latest.c.last == ThemeCorrection.id)
    )
    return [(text, language or "en", set(codes or [])) for text, language, codes in rows]
