"""Open-text answers become comments, tagged with themes, in batches.

The worker collects what customers wrote since its last run, so answering a survey costs
nothing more; `feedback themes retag` tags every comment again after the rules or the model
change. Staff corrections are kept through a retag: a corrected comment keeps its themes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, insert, select

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import Answer, Comment, CommentTheme, Question, Response, ThemeCorrection
from feedback.models.segments import FIELD_COLUMNS, period_of

BATCH = 2000
LANGUAGES = frozenset(engine.available_languages())
log = logging.getLogger(__name__)
SEGMENT_COLUMNS = tuple(c for f, c in FIELD_COLUMNS.items() if f != "locale")


def search_fold(text: str, language: str | None) -> str:
    """``text`` as the search index holds it: normalised as the theme rules see it, and Persian
    and Arabic folded onto one spelling, since customers type either keyboard's letters for
    the same word (Arabic kaf and yeh in a Persian comment)."""
    language = language or engine.detect_language(text) or "en"
    if language in ("fa", "ar"):
        return engine.normalize(engine.normalize(text, "ar"), "fa")
    return engine.normalize(text, language)


def counts(survey_id: int | None = None) -> tuple[int, int]:
    """How many comments there are (of one survey, or all), and how many have no theme."""
    from sqlalchemy import func

    query = select(func.count(), func.count().filter(Comment.tagged.is_(False))).select_from(Comment)
    if survey_id is not None:
        query = query.where(Comment.survey_id == survey_id)
    total, untagged = db.session.execute(query).one()
    return int(total), int(untagged)


def band(score: float | None) -> str | None:
    """The NPS band of a 0-10 score."""
    if score is None:
        return None
    return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"


@dataclass(frozen=True)
class Tagger:
    """How comments are tagged: the rule sets per language and a trained model, if any."""

    rules: dict | None = None
    model: object | None = None
    version: str = "default"

    def tags(self, text: str, language: str | None):
        """The comment's themes; [] for a language without rules, or when tagging one comment
        fails (it is logged, stays untagged and the batch goes on)."""
        if language not in LANGUAGES:
            language = engine.detect_language(text)
            if language not in LANGUAGES:
                return []
        rules = (self.rules or {}).get(language)
        try:
            return engine.tag(text, language, rules=rules, model=self.model)
        except Exception:
            log.exception("tagging a comment failed; it stays untagged")
            return []


def collect(*, tagger: Tagger | None = None, limit: int | None = None) -> int:
    """Comments for complete responses' open-text answers that have none yet; returns how many."""
    tagger = tagger or Tagger()
    made = 0
    while limit is None or made < limit:
        rows = _new_answers(BATCH if limit is None else min(BATCH, limit - made))
        if not rows:
            break
        _store(rows, tagger)
        made += len(rows)
        db.session.commit()
    return made


def _new_answers(batch: int) -> list:
    return db.session.execute(
        select(
            Answer.id,
            Answer.text,
            Response.id,
            Response.survey_id,
            Response.customer_id,
            Response.locale,
            Response.submitted_at,
            *(getattr(Response, c) for c in SEGMENT_COLUMNS),
        )
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Question.type == "open_text",
            Answer.text.is_not(None),
            Answer.text != "",
            Response.status == "complete",
            ~exists().where(Comment.answer_id == Answer.id),
        )
        .order_by(Answer.id)
        .limit(batch)
    ).all()


def nps_scores(response_ids: Iterable[int]) -> dict[int, float]:
    """response id -> its NPS answer, for the responses that have one."""
    rows = db.session.execute(
        select(Answer.response_id, Answer.number)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(list(response_ids)), Question.role == "nps", Answer.number.is_not(None))
    )
    return {row[0]: row[1] for row in rows}


def _store(rows: list, tagger: Tagger) -> None:
    scores = nps_scores({r[2] for r in rows})
    values, tag_lists = [], []
    for answer_id, text, response_id, survey_id, customer_id, locale, submitted_at, *segments in rows:
        language = engine.detect_language(text) or (locale or "en").split("-")[0]
        score = scores.get(response_id)
        tags = tagger.tags(text, language)
        values.append(
            {
                "answer_id": answer_id,
                "response_id": response_id,
                "survey_id": survey_id,
                "customer_id": customer_id,
                "text": text,
                "search_text": search_fold(text, language),
                "language": language,
                "score": score,
                "band": band(score),
                "submitted_at": submitted_at,
                "period": period_of(submitted_at),
                "tagged": bool(tags),
                "tagged_with": tagger.version,
                **dict(zip(SEGMENT_COLUMNS, segments, strict=True)),
            }
        )
        tag_lists.append(tags)
    table = Comment.__table__
    ids = db.session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), values
    ).scalars()
    _write_tags(list(zip(ids, tag_lists, strict=True)))


def _write_tags(pairs: list[tuple[int, list]]) -> None:
    rows = [
        {
            "comment_id": comment_id,
            "code": t.code,
            "polarity": t.polarity,
            "source": t.source,
            "confidence": float(t.confidence),
            "span_start": t.span[0] if t.span else None,
            "span_end": t.span[1] if t.span else None,
        }
        for comment_id, tags in pairs
        for t in _one_per_code(tags)
    ]
    if rows:
        db.session.execute(insert(CommentTheme.__table__), rows)


def _one_per_code(tags: list) -> list:
    """One tag per theme: a comment with two delivery phrases has the theme once, the surest."""
    best: dict[str, object] = {}
    for t in tags:
        if t.code not in best or t.confidence > best[t.code].confidence:
            best[t.code] = t
    return list(best.values())


def latest_response() -> int:
    """The newest response's id (0 with none): what a collect that starts now will have seen."""
    return int(db.session.scalar(select(func.max(Response.id))) or 0)


def retaggable(survey_id: int | None = None) -> int:
    """How many comments a retag goes through: all but those staff corrected."""
    query = (
        select(func.count()).select_from(Comment).where(Comment.id.not_in(select(ThemeCorrection.comment_id)))
    )
    if survey_id is not None:
        query = query.where(Comment.survey_id == survey_id)
    return int(db.session.scalar(query) or 0)


def retag(
    *,
    survey_id: int | None = None,
    tagger: Tagger | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Tag every comment again (of one survey, or all); comments staff corrected keep theirs."""
    tagger = tagger or Tagger()
    corrected = select(ThemeCorrection.comment_id)
    after, done = 0, 0
    while True:
        query = (
            select(Comment.id, Comment.text, Comment.language)
            .where(Comment.id > after, Comment.id.not_in(corrected))
            .order_by(Comment.id)
            .limit(BATCH)
        )
        if survey_id is not None:
            query = query.where(Comment.survey_id == survey_id)
        rows = db.session.execute(query).all()
        if not rows:
            break
        ids = [r[0] for r in rows]
        db.session.execute(delete(CommentTheme).where(CommentTheme.comment_id.in_(ids)))
        pairs = [(cid, tagger.tags(text, language)) for cid, text, language in rows]
        _write_tags(pairs)
        tagged = {cid for cid, tags in pairs if tags}
        db.session.execute(
            Comment.__table__.update()
            .where(Comment.id.in_(ids))
            .values(tagged=Comment.id.in_(tagged) if tagged else False, tagged_with=tagger.version)
        )
        db.session.commit()
        after, done = ids[-1], done + len(ids)
        if progress:
            progress(done)
    return done
