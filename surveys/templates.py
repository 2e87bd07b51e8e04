"""Ready-made surveys that pass their own wording checks, in en, fa, ar and ru."""

from __future__ import annotations

from surveys.model import (
    SUPPORTED_LOCALES,
    Condition,
    DispatchRule,
    Question,
    QuestionType,
    Role,
    Survey,
    Text,
    TextVariant,
)
from surveys.standard import nps_scale

THANKS = Text({
    "en": "Thank you. Your answer has been recorded.",
    "fa": "سپاسگزاریم. پاسخ شما ثبت شد.",
    "ar": "شكرًا لك. تم تسجيل إجابتك.",
    "ru": "Спасибо! Ваш ответ сохранён.",
})
NPS_TEXT = Text({
    "en": "How likely are you to recommend us to a friend or colleague?",
    "fa": "چقدر احتمال دارد ما را به یک دوست یا همکار توصیه کنید؟",
    "ar": "ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
    "ru": "Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
})
REASON_TEXT = Text({
    "en": "What is the main reason for your score?",
    "fa": "دلیل اصلی امتیاز شما چیست؟",
    "ar": "ما السبب الرئيسي لتقييمك؟",
    "ru": "Какова основная причина вашей оценки?",
})
REASON_DETRACTOR = Text({
    "en": "What, if anything, could we have done better?",
    "fa": "اگر چیزی هست، چه کاری را می‌توانستیم بهتر انجام دهیم؟",
    "ar": "ما الذي كان بإمكاننا فعله بشكل أفضل، إن وجد؟",
    "ru": "Если бы вы могли что-то изменить, что бы это было?",
})
REASON_PROMOTER = Text({
    "en": "What, if anything, stood out about your experience?",
    "fa": "اگر چیزی در تجربه‌تان برجسته بود، چه بود؟",
    "ar": "ما الذي لفت انتباهك في تجربتك، إن وجد؟",
    "ru": "Что вам запомнилось в этой покупке, если что-то запомнилось?",
})


def transactional_nps(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    """NPS after a purchase, then an open reason worded for the score band."""
    pick = lambda text: Text({loc: text.get(loc) for loc in locales})  # noqa: E731
    return Survey(
        key="transactional-nps",
        name="Transactional NPS after purchase",
        locales=locales,
        default_locale=locales[0],
        thanks=pick(THANKS),
        questions=(
            Question("nps", QuestionType.NPS, pick(NPS_TEXT), Role.NPS, required=True,
                     scale=nps_scale(locales)),
            Question("reason", QuestionType.OPEN_TEXT, pick(REASON_TEXT), Role.REASON, page=2,
                     variants=(
                         TextVariant(Condition("nps", 0, 6), pick(REASON_DETRACTOR)),
                         TextVariant(Condition("nps", 9, 10), pick(REASON_PROMOTER)),
                     )),
        ),
        dispatch=DispatchRule(trigger="purchase", delay_hours=24, channels=("email", "sms")),
    )


TEMPLATES = {"transactional-nps": transactional_nps}
