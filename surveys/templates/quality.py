"""Product quality: overall satisfaction and the attributes that may drive it."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, DispatchRule, Question, QuestionType, Role, Survey
from surveys.standard import csat_scale, likert_scale
from surveys.templates.common import T, pick, template

OVERALL = T(
    en="Overall, how satisfied or dissatisfied are you with the product?",
    fa="در مجموع، چقدر از محصول راضی یا ناراضی هستید؟",
    ar="بشكل عام، ما مدى رضاك أو عدم رضاك عن المنتج؟",
    ru="В целом, насколько вы довольны или недовольны товаром?",
)
DRIVERS = {
    "quality": T(
        en="How would you rate the quality of the product?",
        fa="کیفیت محصول را چگونه ارزیابی می‌کنید؟",
        ar="كيف تقيّم جودة المنتج؟",
        ru="Как вы оцениваете качество товара?",
    ),
    "price": T(
        en="How would you rate the product's value for money?",
        fa="ارزش محصول نسبت به قیمت آن را چگونه ارزیابی می‌کنید؟",
        ar="كيف تقيّم قيمة المنتج مقابل سعره؟",
        ru="Как вы оцениваете соотношение цены и качества товара?",
    ),
    "delivery": T(
        en="How would you rate the delivery?",
        fa="ارسال را چگونه ارزیابی می‌کنید؟",
        ar="كيف تقيّم التوصيل؟",
        ru="Как вы оцениваете доставку?",
    ),
    "staff": T(
        en="How would you rate the helpfulness of our staff?",
        fa="میزان کمک‌رسانی کارکنان ما را چگونه ارزیابی می‌کنید؟",
        ar="كيف تقيّم مدى مساعدة موظفينا؟",
        ru="Как вы оцениваете готовность наших сотрудников помочь?",
    ),
    "packaging": T(
        en="How would you rate the packaging?",
        fa="بسته‌بندی را چگونه ارزیابی می‌کنید؟",
        ar="كيف تقيّم التغليف؟",
        ru="Как вы оцениваете упаковку?",
    ),
}
CHANGE = T(
    en="What, if anything, would you change about the product?",
    fa="اگر چیزی هست، چه چیزی را در محصول تغییر می‌دهید؟",
    ar="ما الذي قد تغيّره في المنتج، إن وجد؟",
    ru="Что бы вы изменили в товаре, если что-то?",
)


def product_quality(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    """A week after delivery: overall CSAT, five driver ratings with 'don't know', and a comment."""
    drivers = tuple(
        Question(
            f"rate_{name}",
            QuestionType.LIKERT,
            pick(text, locales),
            Role.DRIVER,
            attribute=name,
            scale=likert_scale(locales, 5),
            dont_know=True,
        )
        for name, text in DRIVERS.items()
    )
    return template(
        "product-quality",
        "Product quality and its drivers",
        locales,
        (
            Question(
                "csat",
                QuestionType.CSAT,
                pick(OVERALL, locales),
                Role.CSAT,
                required=True,
                scale=csat_scale(locales),
            ),
            *drivers,
            Question("change", QuestionType.OPEN_TEXT, pick(CHANGE, locales), Role.REASON, page=2),
        ),
        DispatchRule(trigger="delivery", delay_hours=168, channels=("email",)),
    )
