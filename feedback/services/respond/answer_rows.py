"""Answers as the respondent pages see them (a dict by question key) and as rows in `answer`.

A scale answer is a number; "don't know" is the choice ["dont_know"]; a choice question
keeps its option keys (a list for multiple choice, one key otherwise); the words typed
for "Other" ride in the text column of that question's row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, select

from feedback.extensions import db
from feedback.models import Answer
from surveys.form import DONT_KNOW, OTHER
from surveys.model import QuestionType

OTHER_SUFFIX = "__other"
_answer = Answer.__table__
# Built once; respondent pages run these on every submission.
READ = select(_answer.c.question_id, _answer.c.number, _answer.c.text, _answer.c.choices).where(
    _answer.c.response_id == bindparam("response")
)
CLEAR = delete(_answer).where(
    _answer.c.response_id == bindparam("response"),
    _answer.c.question_id.in_(bindparam("questions", expanding=True)),
)
ADD = insert(_answer)


@dataclass(frozen=True)
class Layout:
    """A published version's questions: their row ids and how their answers are stored."""

    ids_by_key: Mapping[str, int]
    choice_keys: frozenset[str]
    multiple_keys: frozenset[str]

    @property
    def keys_by_id(self) -> dict[int, str]:
        return {qid: key for key, qid in self.ids_by_key.items()}


def layout_of(spec, ids_by_key: Mapping[str, int]) -> Layout:
    choice = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
    return Layout(
        ids_by_key=dict(ids_by_key),
        choice_keys=frozenset(q.key for q in spec.questions if q.type in choice),
        multiple_keys=frozenset(q.key for q in spec.questions if q.type == QuestionType.MULTIPLE_CHOICE),
    )


def to_dict(rows: Iterable[Any], layout: Layout) -> dict[str, Any]:
    keys_by_id = layout.keys_by_id
    out: dict[str, Any] = {}
    for row in rows:
        key = keys_by_id.get(row.question_id)
        if key is None:
            continue
        if row.number is not None:
            out[key] = int(row.number) if float(row.number).is_integer() else row.number
        elif row.choices:
            out[key] = list(row.choices) if key in layout.multiple_keys else row.choices[0]
            if OTHER in row.choices and row.text:
                out[f"{key}{OTHER_SUFFIX}"] = row.text
        elif row.text is not None:
            out[key] = row.text
    return out


def columns(key: str, value: Any, answers: Mapping[str, Any], layout: Layout) -> dict[str, Any]:
    """The number/text/choices columns of one answer."""
    if value == DONT_KNOW:
        return {"number": None, "text": None, "choices": [DONT_KNOW]}
    if key in layout.choice_keys:
        chosen = list(value) if isinstance(value, list) else [value]
        return {"number": None, "text": answers.get(f"{key}{OTHER_SUFFIX}"), "choices": chosen}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"number": float(value), "text": None, "choices": None}
    return {"number": None, "text": str(value), "choices": None}


def write(
    response_id: int, answers: Mapping[str, Any], keys: Iterable[str], layout: Layout, *, fresh: bool = False
) -> None:
    """Replace the stored answers to ``keys`` with those in ``answers`` (absent means cleared).

    ``fresh``: the response was created in this transaction, so there is nothing to replace.
    """
    keys = [k for k in keys if k in layout.ids_by_key]
    if not keys:
        return
    if not fresh:
        db.session.execute(
            CLEAR, {"response": response_id, "questions": [layout.ids_by_key[k] for k in keys]}
        )
    rows = [{"response_id": response_id, **row} for row in rows_for(answers, keys, layout)]
    if rows:
        db.session.execute(ADD, rows)


def rows_for(answers: Mapping[str, Any], keys: Iterable[str], layout: Layout) -> list[dict[str, Any]]:
    """question_id and the number/text/choices columns for each of ``keys`` that has an answer."""
    return [
        {"question_id": layout.ids_by_key[k], **columns(k, answers[k], answers, layout)}
        for k in keys
        if k in answers and k in layout.ids_by_key
    ]


def read(response_id: int, layout: Layout) -> dict[str, Any]:
    return to_dict(db.session.execute(READ, {"response": response_id}), layout)
