"""Post-delivery CSAT: how the delivery went, asked a day after it arrived."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, DispatchRule, Question, QuestionType, Role, Survey
from surveys.standard import csat_scale
from surveys.templates.common import NO, YES, T, options, pick, template

CSAT = T(
    en="How satisfied or dissatisfied are you with the delivery of your order?",
    fa="چقدر از ارسال سفارش خود راضی یا ناراضی هستید؟",
    ar="ما مدى رضاك أو عدم رضاك عن توصيل طلبك؟",
    ru="Насколько вы довольны или недовольны доставкой вашего заказа?",
)
ON_TIME = T(
    en="Did your order arrive on the promised date?",
    fa="آیا سفارش شما در تاریخ وعده‌داده‌شده رسید؟",
    ar="هل وصل طلبك في التاريخ الموعود؟",
    ru="Пришёл ли ваш заказ в обещанный срок?",
)
IMPROVE = T(
    en="What, if anything, could we improve about the delivery?",
    fa="اگر چیزی هست، چه چیزی را در ارسال می‌توانیم بهتر کنیم؟",
    ar="ما الذي يمكننا تحسينه في التوصيل، إن وجد؟",
    ru="Что мы могли бы улучшить в доставке, если что-то?",
)


def delivery_csat(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    return template(
        "delivery-csat",
        "Post-delivery CSAT",
        locales,
        (
            Question(
                "csat",
                QuestionType.CSAT,
                pick(CSAT, locales),
                Role.CSAT,
                required=True,
                scale=csat_scale(locales),
            ),
            Question(
                "on_time",
                QuestionType.SINGLE_CHOICE,
                pick(ON_TIME, locales),
                Role.TOUCHPOINT,
                attribute="delivery",
                options=options(locales, ("yes", YES), ("no", NO)),
                dont_know=True,
            ),
            Question("improve", QuestionType.OPEN_TEXT, pick(IMPROVE, locales), Role.REASON, page=2),
        ),
        DispatchRule(trigger="delivery", delay_hours=24, channels=("email", "sms")),
    )
