"""Texts shared by several templates."""

from __future__ import annotations

from surveys.model import (
    Condition,
    DispatchRule,
    Option,
    Question,
    QuestionType,
    Role,
    Survey,
    Text,
    TextVariant,
)
from surveys.standard import nps_scale
from surveys.validate import checked


def T(**variants: str) -> Text:
    return Text(variants)


def pick(text: Text, locales: tuple[str, ...]) -> Text:
    return Text({loc: text.get(loc) for loc in locales})


def options(locales: tuple[str, ...], *pairs: tuple[str, Text]) -> tuple[Option, ...]:
    return tuple(Option(key, pick(label, locales)) for key, label in pairs)


THANKS = T(
    en="Thank you. Your answer has been recorded.",
    fa="سپاسگزاریم. پاسخ شما ثبت شد.",
    ar="شكرًا لك. تم تسجيل إجابتك.",
    ru="Спасибо! Ваш ответ сохранён.",
)
NPS_TEXT = T(
    en="How likely are you to recommend us to a friend or colleague?",
    fa="چقدر احتمال دارد ما را به یک دوست یا همکار توصیه کنید؟",
    ar="ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
    ru="Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
)
REASON_TEXT = T(
    en="What is the main reason for your score?",
    fa="دلیل اصلی امتیاز شما چیست؟",
    ar="ما السبب الرئيسي لتقييمك؟",
    ru="Какова основная причина вашей оценки?",
)
REASON_DETRACTOR = T(
    en="What, if anything, could we have done better?",
    fa="اگر چیزی هست، چه کاری را می‌توانستیم بهتر انجام دهیم؟",
    ar="ما الذي كان بإمكاننا فعله بشكل أفضل، إن وجد؟",
    ru="Если бы вы могли что-то изменить, что бы это было?",
)
REASON_PROMOTER = T(
    en="What, if anything, stood out about your experience?",
    fa="اگر چیزی در تجربه‌تان برجسته بود، چه بود؟",
    ar="ما الذي لفت انتباهك في تجربتك، إن وجد؟",
    ru="Что вам запомнилось в этой покупке, если что-то запомнилось?",
)
YES = T(en="Yes", fa="بله", ar="نعم", ru="Да")
NO = T(en="No", fa="خیر", ar="لا", ru="Нет")


def nps_reason_variants(locales: tuple[str, ...], nps_key: str = "nps") -> tuple[TextVariant, ...]:
    """Different wording of the reason question for detractors (0-6) and promoters (9-10)."""
    return (
        TextVariant(Condition(nps_key, 0, 6), pick(REASON_DETRACTOR, locales)),
        TextVariant(Condition(nps_key, 9, 10), pick(REASON_PROMOTER, locales)),
    )


def nps_question(locales: tuple[str, ...]) -> Question:
    return Question(
        "nps", QuestionType.NPS, pick(NPS_TEXT, locales), Role.NPS, required=True, scale=nps_scale(locales)
    )


def reason_question(locales: tuple[str, ...]) -> Question:
    """The open 'why' on page 2, worded for the respondent's NPS band."""
    return Question(
        "reason",
        QuestionType.OPEN_TEXT,
        pick(REASON_TEXT, locales),
        Role.REASON,
        page=2,
        variants=nps_reason_variants(locales),
    )


def template(
    key: str,
    name: str,
    locales: tuple[str, ...],
    questions: tuple[Question, ...],
    dispatch: DispatchRule | None = None,
) -> Survey:
    return checked(
        Survey(
            key=key,
            name=name,
            locales=locales,
            default_locale=locales[0],
            thanks=pick(THANKS, locales),
            questions=questions,
            dispatch=dispatch,
        )
    )
