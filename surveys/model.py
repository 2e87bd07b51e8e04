"""The questionnaire model: frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

RTL_LOCALES = frozenset({"fa", "ar", "he", "ur"})


SUPPORTED_LOCALES = ("en", "fa", "ar", "ru")


def text_direction(locale: str) -> str:
    """'rtl' for right-to-left scripts, else 'ltr'."""
    return "rtl" if locale.split("-")[0] in RTL_LOCALES else "ltr"


class SurveyError(ValueError):
    """A survey definition breaks the model's rules; ``problems`` lists each one."""

    def __init__(self, problems: Iterable[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in self.problems))


class QuestionType(StrEnum):
    NPS = "nps"
    CSAT = "csat"
    CES = "ces"
    LIKERT = "likert"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    OPEN_TEXT = "open_text"

    @property
    def is_scale(self) -> bool:
        return self in SCALE_TYPES


SCALE_TYPES = frozenset({QuestionType.NPS, QuestionType.CSAT, QuestionType.CES, QuestionType.LIKERT})
CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})


class Role(StrEnum):
    """What a question measures, so reports know where to look."""

    NPS = "nps"
    CSAT = "csat"
    CES = "ces"
    DRIVER = "driver"
    REASON = "reason"
    TOUCHPOINT = "touchpoint"
    OTHER = "other"


@dataclass(frozen=True)
class Text:
    """One text in several locales."""

    variants: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "variants", MappingProxyType(dict(self.variants)))

    def get(self, locale: str, fallback: str | None = None) -> str:
        if locale in self.variants:
            return self.variants[locale]
        base = locale.split("-")[0]
        if base in self.variants:
            return self.variants[base]
        if fallback and fallback in self.variants:
            return self.variants[fallback]
        return next(iter(self.variants.values()), "")

    @property
    def locales(self) -> frozenset[str]:
        return frozenset(self.variants)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.variants.items())))


@dataclass(frozen=True)
class Scale:
    """A numeric rating scale with labelled anchors (and optionally every point labelled)."""

    min: int
    max: int
    min_label: Text | None = None
    max_label: Text | None = None
    labels: tuple[Text, ...] = ()

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)

    def label_for(self, point: int, locale: str) -> str | None:
        if self.labels:
            return self.labels[point - self.min].get(locale)
        if point == self.min and self.min_label:
            return self.min_label.get(locale)
        if point == self.max and self.max_label:
            return self.max_label.get(locale)
        return None


@dataclass(frozen=True)
class Option:
    key: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """True when ``question`` was answered with a number inside [min, max]."""

    question: str
    min: float | None = None
    max: float | None = None

    def matches(self, answers: Mapping[str, Any]) -> bool:
        value = answers.get(self.question)
        if value is None or value == "" or isinstance(value, (list, tuple)):
            return False
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


@dataclass(frozen=True)
class TextVariant:
    """Alternative wording shown when ``when`` holds (e.g. detractors vs promoters)."""

    when: Condition
    text: Text


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    text: Text
    role: Role = Role.OTHER
    required: bool = False
    scale: Scale | None = None
    options: tuple[Option, ...] = ()
    allow_other: bool = False
    dont_know: bool = False
    randomize: bool = False
    attribute: str | None = None
    show_if: Condition | None = None
    variants: tuple[TextVariant, ...] = ()
    page: int = 1
    max_length: int = 2000

    def text_for(self, locale: str, answers: Mapping[str, Any] | None = None) -> str:
        """The wording shown to this respondent, after display logic."""
        for variant in self.variants:
            if answers is not None and variant.when.matches(answers):
                return variant.text.get(locale)
        return self.text.get(locale)

    def is_shown(self, answers: Mapping[str, Any]) -> bool:
        return self.show_if is None or self.show_if.matches(answers)

    def texts(self) -> Iterable[tuple[str, Text]]:
        """Every translatable text of the question, with a path for error messages."""
        yield "text", self.text
        for i, variant in enumerate(self.variants):
            yield f"variants[{i}].text", variant.text
        if self.scale:
            if self.scale.min_label:
                yield "scale.min_label", self.scale.min_label
            if self.scale.max_label:
                yield "scale.max_label", self.scale.max_label
            for i, label in enumerate(self.scale.labels):
                yield f"scale.labels[{i}]", label
        for i, option in enumerate(self.options):
            yield f"options[{i}].label", option.label


@dataclass(frozen=True)
class DispatchRule:
    """When and how a survey is sent after a purchase (see docs/survey-format.md)."""

    trigger: str = "purchase"
    delay_hours: float = 24.0
    channels: tuple[str, ...] = ("email",)
    sampling: float = 1.0
    fatigue_days: int = 30
    quiet_hours: tuple[str, str] | None = ("21:00", "09:00")
    rate_per_minute: int = 60
    reminder_after_days: int | None = 3
    expires_after_days: int = 14
    filters: Mapping[str, Any] = field(default_factory=dict)
    # When fatigue lets only one survey through for a purchase, the highest priority goes first.
    priority: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", MappingProxyType(dict(self.filters)))
        object.__setattr__(self, "delay_hours", float(self.delay_hours))
        object.__setattr__(self, "sampling", float(self.sampling))

    def __hash__(self) -> int:
        return hash((self.trigger, self.delay_hours, self.channels, self.sampling))


@dataclass(frozen=True)
class Survey:
    """A questionnaire. Its rules are checked by ``surveys.validate.checked()``, which every
    builder calls (``serialize.from_dict``, the templates, ``surveys.edit``): the model knows
    nothing of validation, and validation depends on the model."""

    key: str
    name: str
    locales: tuple[str, ...]
    questions: tuple[Question, ...]
    default_locale: str = "en"
    intro: Text | None = None
    thanks: Text | None = None
    dispatch: DispatchRule | None = None

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)

    @property
    def pages(self) -> list[list[Question]]:
        numbers = sorted({q.page for q in self.questions})
        return [[q for q in self.questions if q.page == n] for n in numbers]

    def questions_with_role(self, role: Role) -> list[Question]:
        return [q for q in self.questions if q.role == role]

    def locale_for(self, wanted: str | None) -> str:
        """``wanted`` if the survey is written in it, else the survey's default language."""
        return wanted if wanted in self.locales else self.default_locale
