"""Standard scales and labels in every supported language.

The anchors are balanced and bipolar on purpose: a scale whose labels lean one way
(Excellent / Very good / Good / Fair) pushes answers up.
"""

from __future__ import annotations

from surveys.model import Scale, Text

_NPS_MIN = {
    "en": "Not at all likely",
    "fa": "اصلاً محتمل نیست",
    "ar": "غير محتمل على الإطلاق",
    "ru": "Совсем маловероятно",
}
_NPS_MAX = {
    "en": "Extremely likely",
    "fa": "بسیار محتمل",
    "ar": "محتمل للغاية",
    "ru": "Очень вероятно",
}
_CSAT_5 = [
    {"en": "Very dissatisfied", "fa": "بسیار ناراضی", "ar": "غير راضٍ جدًا", "ru": "Очень недоволен"},
    {"en": "Dissatisfied", "fa": "ناراضی", "ar": "غير راضٍ", "ru": "Недоволен"},
    {
        "en": "Neither satisfied nor dissatisfied",
        "fa": "نه راضی، نه ناراضی",
        "ar": "لا راضٍ ولا غير راضٍ",
        "ru": "Ни доволен, ни недоволен",
    },
    {"en": "Satisfied", "fa": "راضی", "ar": "راضٍ", "ru": "Доволен"},
    {"en": "Very satisfied", "fa": "بسیار راضی", "ar": "راضٍ جدًا", "ru": "Очень доволен"},
]
_CES_MIN = {"en": "Very difficult", "fa": "بسیار دشوار", "ar": "صعب جدًا", "ru": "Очень сложно"}
_CES_MAX = {"en": "Very easy", "fa": "بسیار آسان", "ar": "سهل جدًا", "ru": "Очень легко"}
_LIKERT_5 = [
    {"en": "Very poor", "fa": "بسیار ضعیف", "ar": "ضعيف جدًا", "ru": "Очень плохо"},
    {"en": "Poor", "fa": "ضعیف", "ar": "ضعيف", "ru": "Плохо"},
    {
        "en": "Neither good nor poor",
        "fa": "نه خوب، نه ضعیف",
        "ar": "لا جيد ولا ضعيف",
        "ru": "Ни хорошо, ни плохо",
    },
    {"en": "Good", "fa": "خوب", "ar": "جيد", "ru": "Хорошо"},
    {"en": "Very good", "fa": "بسیار خوب", "ar": "جيد جدًا", "ru": "Очень хорошо"},
]
_LIKERT_7 = [
    _LIKERT_5[0],
    _LIKERT_5[1],
    {"en": "Somewhat poor", "fa": "تا حدی ضعیف", "ar": "ضعيف إلى حد ما", "ru": "Скорее плохо"},
    _LIKERT_5[2],
    {"en": "Somewhat good", "fa": "تا حدی خوب", "ar": "جيد إلى حد ما", "ru": "Скорее хорошо"},
    _LIKERT_5[3],
    _LIKERT_5[4],
]
OTHER = {"en": "Other", "fa": "سایر", "ar": "أخرى", "ru": "Другое"}
DONT_KNOW = {
    "en": "Don't know / not applicable",
    "fa": "نمی‌دانم / مربوط نیست",
    "ar": "لا أعرف / لا ينطبق",
    "ru": "Не знаю / неприменимо",
}


def _text(variants: dict[str, str], locales: tuple[str, ...]) -> Text:
    return Text({loc: variants.get(loc, variants["en"]) for loc in locales})


def nps_scale(locales: tuple[str, ...]) -> Scale:
    return Scale(0, 10, _text(_NPS_MIN, locales), _text(_NPS_MAX, locales))


def csat_scale(locales: tuple[str, ...]) -> Scale:
    return Scale(1, 5, labels=tuple(_text(v, locales) for v in _CSAT_5))


def ces_scale(locales: tuple[str, ...]) -> Scale:
    return Scale(1, 7, _text(_CES_MIN, locales), _text(_CES_MAX, locales))


def likert_scale(locales: tuple[str, ...], points: int = 5) -> Scale:
    if points not in (5, 7):
        raise ValueError(f"points must be 5 or 7, got {points!r}")
    labels = _LIKERT_5 if points == 5 else _LIKERT_7
    return Scale(1, points, labels=tuple(_text(v, locales) for v in labels))


def default_scale(question_type: str, locales: tuple[str, ...]) -> Scale | None:
    """The standard scale for a scale question type, or None for other types."""
    return {
        "nps": nps_scale,
        "csat": csat_scale,
        "ces": ces_scale,
        "likert": likert_scale,
    }.get(question_type, lambda _locales: None)(locales)


def other_label(locale: str) -> str:
    return OTHER.get(locale, OTHER["en"])


def dont_know_label(locale: str) -> str:
    return DONT_KNOW.get(locale, DONT_KNOW["en"])
