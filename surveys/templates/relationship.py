"""Relationship NPS: asked periodically of the whole customer base, not after a purchase."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, Question, QuestionType, Role, Survey
from surveys.templates.common import T, nps_question, options, pick, reason_question, template

TENURE = T(
    en="How long have you been our customer?",
    fa="چه مدت است که مشتری ما هستید؟",
    ar="منذ متى تتعامل معنا؟",
    ru="Как долго вы являетесь нашим клиентом?",
)
UNDER_1 = T(en="Less than a year", fa="کمتر از یک سال", ar="أقل من سنة", ru="Меньше года")
ONE_TO_3 = T(en="1 to 3 years", fa="۱ تا ۳ سال", ar="من سنة إلى 3 سنوات", ru="От 1 до 3 лет")
OVER_3 = T(en="More than 3 years", fa="بیش از ۳ سال", ar="أكثر من 3 سنوات", ru="Больше 3 лет")


def relationship_nps(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    tenure = Question(
        "tenure",
        QuestionType.SINGLE_CHOICE,
        pick(TENURE, locales),
        Role.OTHER,
        options=options(locales, ("under_1", UNDER_1), ("one_to_3", ONE_TO_3), ("over_3", OVER_3)),
    )
    return template(
        "relationship-nps",
        "Relationship NPS",
        locales,
        (nps_question(locales), tenure, reason_question(locales)),
    )
