"""Relationship NPS: asked periodically of the whole customer base, not after a purchase."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, Question, QuestionType, Role, Survey
from surveys.standard import nps_scale
from surveys.templates.common import NPS_TEXT, REASON_TEXT, THANKS, T, nps_reason_variants, options, pick

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
    return Survey(
        key="relationship-nps",
        name="Relationship NPS",
        locales=locales,
        default_locale=locales[0],
        thanks=pick(THANKS, locales),
        questions=(
            Question("nps", QuestionType.NPS, pick(NPS_TEXT, locales), Role.NPS, required=True,
                     scale=nps_scale(locales)),
            Question("tenure", QuestionType.SINGLE_CHOICE, pick(TENURE, locales), Role.OTHER,
                     options=options(locales, ("under_1", UNDER_1), ("one_to_3", ONE_TO_3),
                                     ("over_3", OVER_3))),
            Question("reason", QuestionType.OPEN_TEXT, pick(REASON_TEXT, locales), Role.REASON, page=2,
                     variants=nps_reason_variants(locales)),
        ),
    )
