"""What a respondent sees on one page, and how a submitted page is read back.

Pure: the web layer turns a PageView into HTML and hands back the posted fields.
Error codes ("required", "invalid", "too_long") are translated by the caller.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.model import CHOICE_TYPES, Question, QuestionType, Survey, text_direction
from surveys.standard import dont_know_label, other_label

DONT_KNOW = "dont_know"
OTHER = "other"
OTHER_MAX = 500  # characters typed for "Other"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # the accessible name: the number, or the label of a labelled point


@dataclass(frozen=True)
class QuestionView:
    key: str
    kind: str  # "numeric" | "labelled" | "single" | "multiple" | "text"
    text: str
    required: bool
    choices: tuple[Choice, ...] = ()
    min_label: str | None = None
    max_label: str | None = None
    other_label: str | None = None
    max_length: int = 2000
    value: Any = None
    other_text: str = ""
    error: str | None = None

    def is_selected(self, value: str) -> bool:
        if isinstance(self.value, list):
            return value in self.value
        return self.value is not None and str(self.value) == value


@dataclass(frozen=True)
class PageView:
    locale: str
    dir: str
    number: int
    total: int
    is_last: bool
    questions: tuple[QuestionView, ...]


@dataclass
class ParsedPage:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # Text refused as too long: shown again so the respondent can shorten it, never stored.
    refused: dict[str, str] = field(default_factory=dict)


def page_numbers(survey: Survey, answers: Mapping[str, Any]) -> list[int]:
    """The pages this respondent will see, given what they have answered so far."""
    return [page[0].page for page in survey.pages if any(q.is_shown(answers) for q in page)]


def next_page(survey: Survey, page: int, answers: Mapping[str, Any]) -> int | None:
    """The page after ``page`` for these answers, or None when ``page`` is the last."""
    later = [p for p in page_numbers(survey, answers) if p > page]
    return later[0] if later else None


def previous_page(survey: Survey, page: int, answers: Mapping[str, Any]) -> int:
    earlier = [p for p in page_numbers(survey, answers) if p < page]
    return earlier[-1] if earlier else 1


def merge_page(
    survey: Survey, page: int, answers: Mapping[str, Any], new: Mapping[str, Any]
) -> dict[str, Any]:
    """Earlier answers with those of ``page`` replaced by ``new`` (a cleared field is dropped)."""
    on_page = set()
    for q in survey.questions:
        if q.page == page:
            on_page |= {q.key, f"{q.key}__other"}
    merged = {k: v for k, v in answers.items() if k not in on_page}
    merged.update(new)
    return merged


def visible_answers(survey: Survey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers to questions still shown: changing an early answer can hide later ones."""
    current = dict(answers)
    while True:
        shown = set()
        for q in survey.questions:
            if q.is_shown(current):
                shown |= {q.key, f"{q.key}__other"}
        kept = {k: v for k, v in current.items() if k in shown}
        if kept == current:
            return kept
        current = kept


@dataclass(frozen=True)
class PostedPage:
    """What one posted page means for a respondent's answers, before anything is stored.

    ``kind`` is "not_shown" (not a page this respondent sees: nothing changes), "errors",
    "back", "next" or "final". ``answers`` are the answers to keep (for "final", only those
    to questions still shown); ``target`` is the page to show next.
    """

    kind: str
    answers: dict[str, Any]
    target: int
    errors: dict[str, str] = field(default_factory=dict)


def read_post(
    survey: Survey,
    page: int,
    form: Mapping[str, Sequence[str]],
    answers: Mapping[str, Any],
    *,
    back: bool = False,
) -> PostedPage:
    """Read a posted ``page`` on top of the earlier ``answers``: the one decision that every
    way of storing an answer follows."""
    if page not in page_numbers(survey, answers):
        return PostedPage("not_shown", dict(answers), page)
    parsed = parse_page(survey, page, form, answers)
    merged = merge_page(survey, page, answers, parsed.answers)
    if back:
        # Going back keeps what was valid on this page and forgets nothing earlier.
        return PostedPage("back", merged, previous_page(survey, page, merged))
    if parsed.errors:
        return PostedPage("errors", {**merged, **parsed.refused}, page, parsed.errors)
    following = next_page(survey, page, merged)
    if following is not None:
        return PostedPage("next", merged, following)
    return PostedPage("final", visible_answers(survey, merged), page)


def page_view(
    survey: Survey,
    locale: str,
    page: int,
    answers: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    seed: str = "",
) -> PageView:
    """The questions of ``page`` in ``locale``, with display logic and any answers filled in."""
    locale = survey.locale_for(locale)
    numbers = page_numbers(survey, answers) or [1]
    if page not in numbers:
        raise ValueError(f"page {page} is not shown to this respondent; pages are {numbers}")
    questions = tuple(
        question_view(q, locale, answers, (errors or {}).get(q.key), seed)
        for q in survey.questions
        if q.page == page and q.is_shown(answers)
    )
    return PageView(
        locale, text_direction(locale), numbers.index(page) + 1, len(numbers), page == numbers[-1], questions
    )


def question_view(
    q: Question, locale: str, answers: Mapping[str, Any], error: str | None, seed: str
) -> QuestionView:
    common = {
        "key": q.key,
        "text": q.text_for(locale, answers),
        "required": q.required,
        "value": answers.get(q.key),
        "error": error,
    }
    if q.type == QuestionType.OPEN_TEXT:
        return QuestionView(kind="text", max_length=q.max_length, **common)
    if q.scale is not None:
        labelled = bool(q.scale.labels)
        choices = tuple(
            Choice(str(p), q.scale.label_for(p, locale) if labelled else str(p)) for p in q.scale.points
        )
        if q.dont_know:
            choices += (Choice(DONT_KNOW, dont_know_label(locale)),)
        return QuestionView(
            kind="labelled" if labelled else "numeric",
            choices=choices,
            min_label=None if labelled else q.scale.label_for(q.scale.min, locale),
            max_label=None if labelled else q.scale.label_for(q.scale.max, locale),
            **common,
        )
    options = [Choice(o.key, o.label.get(locale)) for o in q.options]
    if q.randomize:
        # Stable per respondent, so the order does not jump between visits.
        random.Random(f"{seed}:{q.key}").shuffle(options)  # noqa: S311 -- not security related
    if q.allow_other:
        options.append(Choice(OTHER, other_label(locale)))
    if q.dont_know:
        options.append(Choice(DONT_KNOW, dont_know_label(locale)))
    kind = "multiple" if q.type == QuestionType.MULTIPLE_CHOICE else "single"
    return QuestionView(
        kind=kind,
        choices=tuple(options),
        other_label=other_label(locale) if q.allow_other else None,
        other_text=answers.get(f"{q.key}__other", ""),
        **common,
    )


def parse_page(
    survey: Survey, page: int, form: Mapping[str, Sequence[str]], answers: Mapping[str, Any]
) -> ParsedPage:
    """Read the posted fields of one page. Every value is checked against the question."""
    out = ParsedPage()
    for q in survey.questions:
        if q.page != page or not q.is_shown(answers):
            continue
        values = [v.strip() for v in form.get(q.key, []) if v is not None]
        values = [v for v in values if v]
        try:
            value = _read(q, values, form)
        except _Invalid as exc:
            out.errors[q.key] = exc.code
            if exc.code == "too_long":
                out.refused[q.key] = typed(form.get(q.key) or [""])
            continue
        if value is None or value == []:
            if q.required:
                out.errors[q.key] = "required"
            continue
        out.answers[q.key] = value
        if q.allow_other and (value == OTHER or (isinstance(value, list) and OTHER in value)):
            other = typed(form.get(f"{q.key}__other") or [""])
            if not other:
                out.errors[q.key] = "other_missing"
            elif len(other) > OTHER_MAX:
                out.errors[q.key] = "too_long"
                out.refused[f"{q.key}__other"] = other
            else:
                out.answers[f"{q.key}__other"] = other
    return out


# Control characters (NUL above all, which PostgreSQL cannot store) and lone surrogates are
# dropped from typed text; line breaks and tabs stay. The rest of the answer is kept.
_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def typed(values: Sequence[str]) -> str:
    """What a respondent typed, without the characters no text can hold."""
    return _DROPPED.sub("", values[0]).strip()


class _Invalid(Exception):
    def __init__(self, code: str):
        self.code = code


def _read(q: Question, values: list[str], form: Mapping[str, Sequence[str]]) -> Any:
    if q.type == QuestionType.OPEN_TEXT:
        text = typed(form.get(q.key) or [""])
        if len(text) > q.max_length:
            raise _Invalid("too_long")
        return text or None
    if not values:
        return None
    if q.type == QuestionType.MULTIPLE_CHOICE:
        allowed = (
            {o.key for o in q.options}
            | ({OTHER} if q.allow_other else set())
            | ({DONT_KNOW} if q.dont_know else set())
        )
        chosen = list(dict.fromkeys(values))
        if any(v not in allowed for v in chosen) or (DONT_KNOW in chosen and len(chosen) > 1):
            raise _Invalid("invalid")
        return chosen
    if len(values) > 1:
        raise _Invalid("invalid")
    value = values[0]
    if value == DONT_KNOW and q.dont_know:
        return DONT_KNOW
    if q.type in CHOICE_TYPES:
        if value in {o.key for o in q.options} or (value == OTHER and q.allow_other):
            return value
        raise _Invalid("invalid")
    try:
        number = int(value)
    except ValueError:
        raise _Invalid("invalid") from None
    if q.scale is None or number not in q.scale.points:
        raise _Invalid("invalid")
    return number
