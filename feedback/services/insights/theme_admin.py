"""What staff change about themes: new theme codes, rule entries added in the UI (previewed on
recent comments before they are saved), and emerging topics promoted to themes."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import Comment, StaffUser, Theme
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.errors import ValidationFailed
from feedback.services.insights import groups, training

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
KINDS = ("complaint", "praise", "neutral", "topics", "objects", "complaint_near", "praise_near", "exclude")
PREVIEW_COMMENTS = 500
MAX_ENTRIES = 50
MAX_ENTRY = 80


def all_themes() -> list[Theme]:
    """Every theme, the defaults first."""
    return list(db.session.scalars(select(Theme).order_by(Theme.is_default.desc(), Theme.code)))


def add_theme(code: str, label: str, department: str, actor: StaffUser | None) -> Theme:
    code = (code or "").strip().lower()
    label = " ".join((label or "").split())
    department = " ".join((department or "").split())
    problems = []
    if not CODE.match(code):
        problems.append(("code", gettext("2-32 lower-case letters, digits or _, starting with a letter")))
    elif db.session.get(Theme, code) is not None:
        problems.append(("code", gettext("the theme %(code)s exists already", code=code)))
    if not 1 <= len(label) <= 100:
        problems.append(("label", gettext("write a name of 1-100 characters")))
    if len(department) > 64:
        problems.append(("department", gettext("at most 64 characters")))
    if problems:
        raise ValidationFailed(problems)
    theme = Theme(code=code, label=label, department=department, is_default=False)
    db.session.add(theme)
    audit.record("theme_added", actor=actor, theme=code, department=department)
    db.session.commit()
    return theme


def entries_from(text: str) -> list[str]:
    """Rule entries typed one per line (or comma-separated), cleaned."""
    out = []
    for raw in re.split(r"[\n,،]", text or ""):
        entry = " ".join(raw.split())
        if entry:
            out.append(entry)
    if len(out) > MAX_ENTRIES:
        raise ValidationFailed([("entries", gettext("at most %(num)s entries at a time", num=MAX_ENTRIES))])
    long = [e for e in out if len(e) > MAX_ENTRY]
    if long:
        raise ValidationFailed(
            [("entries", gettext("an entry is at most %(num)s characters", num=MAX_ENTRY))]
        )
    if any(ch < " " for e in out for ch in e):
        raise ValidationFailed([("entries", gettext("no control characters"))])
    if not out:
        raise ValidationFailed([("entries", gettext("write at least one word or phrase"))])
    return out


def with_entries(language: str, code: str, kind: str, entries: list[str], *, remove: bool = False) -> dict:
    """Staff's current additions for ``language`` with ``entries`` added to (or taken out of)
    theme ``code``'s ``kind`` list."""
    if kind not in KINDS:
        raise ValidationFailed([("kind", gettext("one of %(choices)s", choices=", ".join(KINDS)))])
    if db.session.get(Theme, code) is None:
        raise ValidationFailed([("theme", gettext("no theme %(code)s", code=repr(code)))])
    extra = copy.deepcopy(training.staff_rules().get(language) or {})
    if remove:
        target = extra.setdefault("remove", {}).setdefault("themes", {}).setdefault(code, {})
    else:
        target = extra.setdefault("themes", {}).setdefault(code, {})
        theme = db.session.get(Theme, code)
        if code not in engine.THEMES:
            target.setdefault("label", theme.label)
            target.setdefault("department", theme.department or "other")
    current = target.setdefault(kind, [])
    current.extend(e for e in entries if e not in current)
    return extra


@dataclass(frozen=True)
class Preview:
    language: str
    changes: list[dict[str, Any]]
    checked: int
    newly_tagged: int
    untagged: int


def preview(language: str, extra: dict) -> Preview:
    """What ``extra`` would change on the language's most recent comments, before saving."""
    before = training.rule_sets()[language]
    try:
        after = engine.load_rules(language, extra)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed([("entries", str(exc))]) from None
    rows = db.session.execute(
        select(Comment.id, Comment.text)
        .where(Comment.language == language)
        .order_by(Comment.submitted_at.desc(), Comment.id.desc())
        .limit(PREVIEW_COMMENTS)
    ).all()
    result = engine.preview(before, after, [text for _, text in rows])
    changes = [{"comment": rows[c.index][0], **c.to_dict()} for c in result.changes]
    return Preview(language, changes, len(rows), len(result.newly_tagged), len(result.untagged))


def save(language: str, extra: dict, actor: StaffUser | None) -> None:
    training.save_rules(language, extra, actor)


@dataclass(frozen=True)
class Topic:
    terms: list[str]
    size: int
    weekly: list[int]  # comments per week, oldest first
    examples: list[dict[str, Any]]
    suggested_code: str


def emerging(language: str, *, weeks: int = 4, now: datetime | None = None) -> tuple[list[Topic], int]:
    """Clusters of the last ``weeks`` weeks' untagged comments in ``language``, with how many
    comments each holds per week; returns them and the number of untagged comments."""
    now = now or utcnow()
    start = now - timedelta(weeks=weeks)
    rows = db.session.execute(
        select(Comment.id, Comment.text, Comment.submitted_at)
        .where(Comment.language == language, Comment.tagged.is_(False), Comment.submitted_at >= start)
        .order_by(Comment.id)
        .limit(5000)
    ).all()
    if not rows:
        return [], 0
    rules = training.rule_sets()[language]
    found = engine.emerging([r[1] for r in rows], language, rules=rules)
    out = []
    for t in found.topics:
        weekly = [0] * weeks
        for i in t.members:
            age = (now - rows[i][2]).days // 7
            if 0 <= age < weeks:
                weekly[weeks - 1 - age] += 1
        out.append(
            Topic(
                terms=list(t.terms),
                size=t.size,
                weekly=weekly,
                examples=[{"id": rows[i][0], "text": rows[i][1]} for i in t.examples],
                suggested_code=_code_from(t.terms),
            )
        )
    return out, found.untagged


def _code_from(terms) -> str:
    for term in terms:
        ascii_term = re.sub(r"[^a-z0-9]+", "_", term.lower()).strip("_")
        if CODE.match(ascii_term or "") and db.session.get(Theme, ascii_term) is None:
            return ascii_term[:32]
    return ""


def promote(
    language: str, code: str, label: str, department: str, terms: list[str], actor: StaffUser | None
) -> Theme:
    """An emerging topic becomes a theme: the code, and its top terms as seed rules (topics)."""
    theme = add_theme(code, label, department, actor)
    extra = with_entries(language, theme.code, "topics", entries_from("\n".join(terms)))
    training.save_rules(language, extra, actor)
    groups.ensure_defaults()
    return theme
