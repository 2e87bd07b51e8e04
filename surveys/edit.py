"""Editing a draft survey: each operation returns a new Survey and leaves the old one alone."""

from __future__ import annotations

from dataclasses import replace

from surveys.messages import _
from surveys.model import Option, Question, QuestionType, Role, Survey, SurveyError, Text
from surveys.standard import default_scale
from surveys.validate import checked

DEFAULT_ROLE = {QuestionType.NPS: Role.NPS, QuestionType.CSAT: Role.CSAT, QuestionType.CES: Role.CES}


def new_question(survey: Survey, qtype: QuestionType) -> Question:
    """A blank question of ``qtype`` with the standard scale, keyed so it does not clash."""
    taken = {q.key for q in survey.questions}
    n = len(survey.questions) + 1
    while f"q{n}" in taken:
        n += 1
    options: tuple[Option, ...] = ()
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        options = (Option("option_1", Text({})), Option("option_2", Text({})))
    return Question(
        key=f"q{n}",
        type=qtype,
        text=Text({}),
        role=DEFAULT_ROLE.get(qtype, Role.OTHER),
        scale=default_scale(qtype.value, survey.locales),
        options=options,
        page=max((q.page for q in survey.questions), default=1),
    )


def add_question(survey: Survey, question: Question) -> Survey:
    return checked(replace(survey, questions=(*survey.questions, question)))


def replace_question(survey: Survey, key: str, question: Question) -> Survey:
    _index(survey, key)
    return checked(
        replace(survey, questions=tuple(question if q.key == key else q for q in survey.questions))
    )


def delete_question(survey: Survey, key: str) -> Survey:
    _index(survey, key)
    users = [
        q.key
        for q in survey.questions
        if q.key != key
        and ((q.show_if and q.show_if.question == key) or any(v.when.question == key for v in q.variants))
    ]
    if users:
        raise SurveyError(
            [
                (
                    "questions",
                    _(
                        "%(users)s depend on %(key)s; change them first",
                        users=", ".join(users),
                        key=repr(key),
                    ),
                )
            ]
        )
    return checked(replace(survey, questions=tuple(q for q in survey.questions if q.key != key)))


def move_question(survey: Survey, key: str, offset: int) -> Survey:
    """Move a question up (negative) or down (positive); display logic must still hold."""
    i = _index(survey, key)
    j = max(0, min(len(survey.questions) - 1, i + offset))
    questions = list(survey.questions)
    questions.insert(j, questions.pop(i))
    return checked(replace(survey, questions=tuple(questions)))


def _index(survey: Survey, key: str) -> int:
    for i, q in enumerate(survey.questions):
        if q.key == key:
            return i
    raise SurveyError([("questions", _("no question with key %(key)s", key=repr(key)))])
