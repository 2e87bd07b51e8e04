"""The query layer: counts per score, segment and period, computed by the database with GROUP BY.

Nothing here returns rows one by one; ``analysis`` receives these counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, literal, or_, select

from feedback.extensions import db
from feedback.models import (
    Answer,
    Invitation,
    InvitationTally,
    Purchase,
    Question,
    Response,
    SurveyVersion,
)
from feedback.models.segments import FIELD_COLUMNS
from feedback.services import persist
from feedback.services.segments import POPULATION_FIELDS

SENT_STATUSES = ("sent", "responded", "expired")
NO_SEGMENT = "(none)"
NO_PERIOD = " " * 7  # a missing month in SQLite's one-column grouping key keeps its width


@dataclass(frozen=True)
class Window:
    """The reporting window: submitted (responses) or sent (invitations) in [start, end), and
    optionally one slice of the customers ((field, value) pairs, e.g. (("tier", "top"),))."""

    start: datetime | None = None
    end: datetime | None = None
    segment: tuple[tuple[str, str], ...] = ()

    def within(self, model) -> list:
        """The segment conditions on ``model`` (Response, Invitation or InvitationTally)."""
        return [getattr(model, FIELD_COLUMNS[field]) == value for field, value in self.segment]

    def on(self, column):
        conditions = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column < self.end)
        return and_(*conditions) if conditions else literal(True)


def complete(survey_id: int, window: Window, source: str | None = None) -> tuple:
    """Conditions for the survey's complete responses submitted in the window (from ``source``)."""
    conditions = (
        Response.survey_id == survey_id,
        Response.status == "complete",
        window.on(Response.submitted_at),
        *window.within(Response),
    )
    return (*conditions, Response.source == source) if source is not None else conditions


def question_ids(survey_id: int, *, role: str | None = None, key: str | None = None) -> list[int]:
    """Ids of the questions with this role (or key) in every version of the survey."""
    query = (
        select(Question.id)
        .join(SurveyVersion, SurveyVersion.id == Question.version_id)
        .where(SurveyVersion.survey_id == survey_id)
    )
    if role is not None:
        query = query.where(Question.role == role)
    if key is not None:
        query = query.where(Question.key == key)
    return list(db.session.scalars(query))


def segment_expr(field: str | None, model=Response):
    """The column to group on; NULL becomes NO_SEGMENT in Python, so indexes can order the grouping."""
    if field is None:
        return literal(NO_SEGMENT)
    return getattr(model, FIELD_COLUMNS[field])


def label(value) -> str:
    return NO_SEGMENT if value is None else str(value)


def score_counts(
    survey_id: int,
    qids: list[int],
    low: int,
    high: int,
    window: Window,
    *,
    by: str | None = None,
    source: str = "invitation",
) -> dict[tuple[str, str], np.ndarray]:
    """{(segment, 'YYYY-MM'): answers per score low..high} for complete responses in the window."""
    if not qids:
        return {}
    seg = segment_expr(by)
    keys = _one_key(seg) if persist.dialect() == "sqlite" else (seg, Response.period)
    rows = answer_counts(survey_id, window, qids, keys, source)
    out: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(high - low + 1, dtype=np.int64))
    for *key, score, n in rows:
        point = int(score)
        if low <= point <= high:
            segment, month = _split_key(key[0]) if len(key) == 1 else key
            out[(label(segment), str(month))][point - low] += n
    return dict(out)


def answer_counts(survey_id: int, window: Window, qids: list[int], keys: list, source: str = "invitation"):
    """Rows of (*keys, score, count): the scored answers to ``qids`` of complete responses."""
    return db.session.execute(
        select(*keys, Answer.number, func.count())
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(qids),
            Answer.number.is_not(None),
            *complete(survey_id, window, source),
        )
        .group_by(*keys, Answer.number)
    )


def _one_key(seg) -> tuple:
    """Segment and period as one text key: 'YYYY-MM' then '=' and the segment, or '' for none.

    SQLite groups by sorting, and its sorter compares a one-column key far faster than a
    multi-column one (1.0 s against 1.4 s for 10^6 answers in bench/analysis.py).
    """
    tagged = case((seg.is_(None), literal("")), else_=literal("=") + func.coalesce(seg, ""))
    return (func.coalesce(Response.period, NO_PERIOD) + tagged,)


def _split_key(key: str) -> tuple[str | None, str | None]:
    month, segment = key[:7], key[7:]
    return (segment[1:] if segment else None), (None if month == NO_PERIOD else month)


@dataclass(frozen=True)
class ResponseMix:
    """Complete responses in the window through the open link, and those offered a review link."""

    open_link: int
    review_prompted: int


def response_mix(survey_id: int, window: Window) -> ResponseMix:
    """One pass over a covering index; no GROUP BY, so no sort."""
    row = db.session.execute(
        select(
            func.sum(case((Response.source == "open_link", 1), else_=0)),
            func.sum(case((Response.review_prompted.is_(True), 1), else_=0)),
        ).where(*complete(survey_id, window))
    ).one()
    return ResponseMix(int(row[0] or 0), int(row[1] or 0))


@dataclass(frozen=True)
class Population:
    invited: int
    responded: int
    # field -> value -> count, for the invited and for those who answered
    invited_by: dict[str, dict[Any, int]]
    responded_by: dict[str, dict[Any, int]]


def population(survey_id: int, window: Window) -> Population:
    """Invitations sent in the window and how many were answered, by each population field.

    Whole UTC days come from ``invitation_tally``, which triggers keep exact; only the
    partial days at the window's edges are counted from the invitations themselves.
    """
    days, edges = _whole_days(window)
    rows: list = []
    if days is not None:
        cells = [getattr(InvitationTally, FIELD_COLUMNS[f]) for f in POPULATION_FIELDS]
        rows += db.session.execute(
            select(*cells, func.sum(InvitationTally.invited), func.sum(InvitationTally.responded))
            .where(
                InvitationTally.survey_id == survey_id,
                *_between(InvitationTally.day, *days),
                *window.within(InvitationTally),
            )
            .group_by(*cells)
        ).all()
    for edge in edges:
        rows += _invited_in(survey_id, edge)
    fields = POPULATION_FIELDS
    invited_by: dict[str, dict[Any, int]] = {f: defaultdict(int) for f in fields}
    responded_by: dict[str, dict[Any, int]] = {f: defaultdict(int) for f in fields}
    invited = responded = 0
    for row in rows:
        n, k = int(row[-2] or 0), int(row[-1] or 0)
        if not n:
            continue
        invited += n
        responded += k
        for field, value in zip(fields, row[: len(fields)], strict=True):
            value = label(value or None)  # the tally stores an absent segment as ''
            invited_by[field][value] += n
            responded_by[field][value] += k
    return Population(
        invited,
        responded,
        {f: dict(v) for f, v in invited_by.items()},
        {f: dict(v) for f, v in responded_by.items()},
    )


# Suppressions decided after the random draw (dispatch.scheduling.decide): those purchases were
# drawn from like any other. Opt-outs, filters, stale and unreachable ones never reach the draw.
AFTER_THE_DRAW = ("sampled_out", "fatigue")


def sampling_frame(survey_id: int, window: Window) -> int:
    """Purchases made in the window whose invitation went through the survey's random draw."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .join(Purchase, Purchase.id == Invitation.purchase_id)
            .where(
                Invitation.survey_id == survey_id,
                or_(
                    Invitation.suppression_reason.is_(None),
                    Invitation.suppression_reason.in_(AFTER_THE_DRAW),
                ),
                window.on(Purchase.purchased_at),
                *window.within(Invitation),
            )
        )
        or 0
    )


def _whole_days(window: Window) -> tuple[tuple[date | None, date | None] | None, list[Window]]:
    """[first, last) whole UTC days inside the window, and the partial days at its edges."""
    first = None if window.start is None else _midnight(window.start, up=True)
    last = None if window.end is None else _midnight(window.end, up=False)
    if first is not None and last is not None and first >= last:
        return None, [window]
    edges = []
    if window.start is not None and window.start < first:
        edges.append(Window(window.start, first, window.segment))
    if window.end is not None and last < window.end:
        edges.append(Window(last, window.end, window.segment))
    return (first and first.date(), last and last.date()), edges


def _between(column, first: date | None, last: date | None) -> list:
    return ([column >= first] if first else []) + ([column < last] if last else [])


def _midnight(moment: datetime, *, up: bool) -> datetime:
    moment = moment.astimezone(UTC)
    floor = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return floor + timedelta(days=1) if up and floor < moment else floor


def _invited_in(survey_id: int, window: Window) -> list:
    """(fields..., invited, answered) straight from the invitations sent in ``window``."""
    columns = [segment_expr(f, Invitation) for f in POPULATION_FIELDS]
    answered = func.sum(case((Invitation.status == "responded", 1), else_=0))
    return db.session.execute(
        select(*columns, func.count(), answered)
        .where(
            Invitation.survey_id == survey_id,
            Invitation.status.in_(SENT_STATUSES),
            Invitation.sent_at.is_not(None),
            window.on(Invitation.sent_at),
            *window.within(Invitation),
        )
        .group_by(*columns)
    ).all()


def driver_table(
    survey_id: int, outcome_ids: list[int], attributes: dict[str, list[int]], window: Window
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Distinct (outcome, rating...) combinations and how many responses gave each.

    The answers are pivoted per response, then counted per combination, so the
    database returns at most (outcome points x rating points^k) rows.
    """
    names = list(attributes)
    all_ids = outcome_ids + [q for ids in attributes.values() for q in ids]
    pivot = [func.max(case((Answer.question_id.in_(outcome_ids), Answer.number))).label("outcome")]
    pivot += [
        func.max(case((Answer.question_id.in_(ids), Answer.number))).label(f"d{i}")
        for i, ids in enumerate(attributes.values())
    ]
    per_response = (
        select(*pivot)
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(all_ids),
            *complete(survey_id, window),
        )
        .group_by(Answer.response_id)
        .subquery()
    )
    cols = [per_response.c.outcome] + [per_response.c[f"d{i}"] for i in range(len(names))]
    rows = db.session.execute(
        select(*cols, func.count()).where(per_response.c.outcome.is_not(None)).group_by(*cols)
    ).all()
    if not rows:
        return names, np.zeros((0, len(names) + 1)), np.zeros(0)
    table = np.array([[np.nan if v is None else float(v) for v in row[:-1]] for row in rows])
    return names, table, np.array([row[-1] for row in rows], dtype=np.int64)


def counts_by_fields(
    survey_id: int, qids: list[int], fields: tuple[str, ...], window: Window, split: str
) -> list[tuple[tuple[str, ...], int, int, int]]:
    """(field values, half, score, count): half 0 is before the month ``split``, 1 from it on.

    One scan serves the composition check of every field.
    """
    if not qids:
        return []
    columns = [segment_expr(f) for f in fields]
    period = case((Response.period < split, 0), else_=1)
    rows = db.session.execute(
        select(*columns, period, Answer.number, func.count())
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(qids),
            Answer.number.is_not(None),
            *complete(survey_id, window, "invitation"),
        )
        .group_by(*columns, period, Answer.number)
    )
    n = len(fields)
    return [(tuple(label(v) for v in row[:n]), int(row[n]), int(row[n + 1]), int(row[n + 2])) for row in rows]
