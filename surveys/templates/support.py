"""Support CES: how easy it was to get an issue resolved."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, Question, QuestionType, Role, Survey
from surveys.standard import ces_scale
from surveys.templates.common import NO, YES, T, options, pick, template

CES = T(
    en="How easy or difficult was it to get your issue resolved?",
    fa="حل شدن مشکل‌تان چقدر آسان یا دشوار بود؟",
    ar="ما مدى سهولة أو صعوبة حل مشكلتك؟",
    ru="Насколько легко или сложно было решить ваш вопрос?",
)
RESOLVED = T(
    en="Is your issue resolved?",
    fa="آیا مشکل شما حل شد؟",
    ar="هل تم حل مشكلتك؟",
    ru="Решён ли ваш вопрос?",
)
PARTLY = T(en="Partly", fa="تا حدی", ar="جزئيًا", ru="Частично")
EASIER = T(
    en="What, if anything, would have made it easier?",
    fa="اگر چیزی هست، چه چیزی کار را برایتان آسان‌تر می‌کرد؟",
    ar="ما الذي كان سيجعل الأمر أسهل، إن وجد؟",
    ru="Что могло бы сделать это проще, если что-то?",
)


def support_ces(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    """Sent after a support contact, by the API rather than after a purchase."""
    return template(
        "support-ces",
        "Support effort (CES)",
        locales,
        (
            Question(
                "ces", QuestionType.CES, pick(CES, locales), Role.CES, required=True, scale=ces_scale(locales)
            ),
            Question(
                "resolved",
                QuestionType.SINGLE_CHOICE,
                pick(RESOLVED, locales),
                Role.TOUCHPOINT,
                attribute="support",
                options=options(locales, ("yes", YES), ("partly", PARTLY), ("no", NO)),
            ),
            Question("easier", QuestionType.OPEN_TEXT, pick(EASIER, locales), Role.REASON, page=2),
        ),
    )
