"""Anchoring and social proof in every language, and the spelling variants folded before matching."""

from __future__ import annotations

import pytest

from surveys import wording

BLOCKING = {"error", "warning"}

ANCHORED = {
    "en": [
        "Most customers rate us 10 — how would you rate us?",
        "9 out of 10 shoppers loved it; what did you think?",
        "Everyone says our staff are great. How were they?",
        "Thousands of happy customers recommend our cleaning service. How likely are you to recommend it?",
        "85% of our patients say the waiting room is comfortable. How comfortable did you find it?",
        "We were voted the best pizza in town last year. How was your pizza?",
        "Like most of our members, did you find the gym easy to use?",
    ],
    "fa": [
        "اکثر مشتریان ما به پشتیبانی نمره ۹ می‌دهند. شما چه نمره‌ای می‌دهید؟",
        "۸ نفر از هر ۱۰ خریدار ما را به دوستانشان معرفی می‌کنند. شما ما را معرفی می‌کنید؟",
        "همه می‌گویند غذای ما خوشمزه است. غذای امروز چطور بود؟",
        "میانگین امتیاز ما در گوگل ۴٫۸ است. به ما چه امتیازی می‌دهید؟",
        "۹۰ درصد کاربران از اپلیکیشن ما راضی‌اند. شما چقدر راضی هستید؟",
        "بیش از ده هزار مسافر هر ماه با ما سفر میکنند. سفر شما چطور بود؟",
    ],
    "ar": [
        "معظم عملائنا يمنحون خدمتنا ٩ من ١٠. كم تمنحها أنت؟",
        "8 من كل 10 متسوقين يوصون بمتجرنا. هل توصي به؟",
        "الجميع يقول إن طعامنا لذيذ. كيف كان طعامك اليوم؟",
        "تقييمنا على خرائط جوجل ٤٫٨. كم نجمة تعطينا؟",
        "أكثر من مليون عائلة تثق بمصرفنا. ما مدى ثقتك بنا؟",
        "90% من المستخدمين راضون عن تطبيقنا. ما مدى رضاك عنه؟",
    ],
    "ru": [
        "Большинство наших клиентов ставят нам 5 звёзд. А как бы оценили нас вы?",
        "8 из 10 пациентов рекомендуют нашу клинику. Порекомендуете ли вы нас?",
        "Все говорят, что у нас вкусно. Как вам сегодняшний обед?",
        "Наша средняя оценка в Google — 4,8. Какую оценку поставите вы?",
        "Более миллиона семей доверяют нашему банку. Насколько вы доверяете нам?",
        "90% пользователей довольны нашим приложением. Насколько довольны вы?",
    ],
}

# The same words without the social proof: other customers, scores and numbers asked about neutrally.
NEUTRAL = {
    "en": [
        "How many other customers were waiting when you arrived?",
        "On a scale from 0 to 10, how would you rate your visit?",
        "What rating out of 5 stars would you give your stay?",
        "How likely are you to recommend us to a friend or colleague?",
    ],
    "fa": [
        "آیا بیشتر از مشتریان دیگر منتظر ماندید؟",
        "به ما از ۱ تا ۵ چه امتیازی می‌دهید؟",
        "چند نفر از اعضای خانواده‌تان از خدمات ما استفاده می‌کنند؟",
    ],
    "ar": [
        "هل انتظرت أكثر من العملاء الآخرين؟",
        "ما مدى رضاك عن خدمة العملاء لدينا؟",
        "على مقياس من 0 إلى 10، كيف تقيّم زيارتك؟",
    ],
    "ru": [
        "Вы ждали больше других клиентов?",
        "Оцените нас по шкале от 1 до 5 звёзд.",
        "Сколько членов вашей семьи пользуются нашими услугами?",
    ],
}


def _cases(table):
    return [(lang, text) for lang, texts in table.items() for text in texts]


@pytest.mark.parametrize(("lang", "text"), _cases(ANCHORED))
def test_social_proof_is_leading(lang, text):
    found = [f for f in wording.check(text, lang) if f.code == "leading"]
    assert any("social proof" in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize(("lang", "text"), _cases(ANCHORED))
def test_the_suggestion_drops_what_others_said(lang, text):
    (anchor,) = [f for f in wording.check(text, lang) if "social proof" in f.message]
    if anchor.suggestion is None:
        pytest.skip("one sentence: nothing is left to ask once the social proof goes")
    assert len(anchor.suggestion) < len(text)
    assert [f for f in wording.check(anchor.suggestion, lang) if f.severity in BLOCKING] == []


def test_the_anchor_sentence_is_removed_whole():
    (anchor,) = wording.check("9 out of 10 shoppers loved it; what did you think?")
    assert anchor.suggestion == "What did you think?"
    (anchor,) = wording.check("Most customers rate us 10 — how would you rate us?")
    assert anchor.suggestion == "How would you rate us?"


def test_everyone_says_is_social_proof_not_an_absolute():
    codes = [f.code for f in wording.check("Everybody loves our new menu. What did you think of it?")]
    assert codes == ["leading"]


@pytest.mark.parametrize(("lang", "text"), _cases(NEUTRAL))
def test_other_people_and_numbers_alone_are_not_anchoring(lang, text):
    assert wording.check(text, lang) == []


@pytest.mark.parametrize(
    ("variant", "lang"),
    [
        ("آیا همیشه آنچه لازم دارید پیدا می‌کنید؟", "fa"),  # zero-width non-joiner
        ("آیا همیشه آنچه لازم دارید پیدا می کنید؟", "fa"),  # a space instead
        ("آیا همیشه آنچه لازم دارید پیدا میکنید؟", "fa"),  # nothing at all
        ("آيا هميشه آنچه لازم داريد پيدا می‌کنيد؟", "fa"),  # Arabic yeh
        ("آیا همـیشه آنچه لازم دارید پیدا می‌کنید؟", "fa"),  # tatweel
        ("هل تجد دائمًا ما تحتاجه؟", "ar"),  # tanween
        ("هل تجد دائـمـا ما تحتاجه؟", "ar"),  # tatweel
        ("هل تجد دائما ما تحتاجه؟", "ar"),  # Persian yeh in Arabic text
    ],
)
def test_spelling_variants_are_folded(variant, lang):
    assert [f.code for f in wording.check(variant, lang)] == ["absolute"]


@pytest.mark.parametrize(
    "text",
    [
        "فکر نمی‌کنید قیمت‌های ما منصفانه است؟",
        "فکر نمی کنید قیمت های ما منصفانه است؟",
        "فکر نمیکنید قیمتهای ما منصفانه است؟",
    ],
)
def test_persian_phrases_match_with_or_without_the_joiner(text):
    assert "leading" in {f.code for f in wording.check(text, "fa")}


def test_persian_and_arabic_digits_count_as_numbers():
    assert "leading" in {f.code for f in wording.check("۹ نفر از ۱۰ مشتری ما راضی‌اند. شما چطور؟", "fa")}
    assert "leading" in {f.code for f in wording.check("٩ من ١٠ عملاء راضون. ما رأيك؟", "ar")}


def test_a_quoted_option_is_not_judged_as_wording():
    text = "How often do you use the app? (If you never use it, choose “Never”.)"
    assert wording.check(text) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How would you rate the FCR on your last ticket?", "en"),
        ("كيف تقيّم معدل الـ FCR في تذكرتك الأخيرة؟", "ar"),
        ("Как вы оцениваете FCR по вашему последнему обращению?", "ru"),
        ("مرحله‌ی KYC در اپلیکیشن چقدر ساده بود؟", "fa"),
    ],
)
def test_unfamiliar_abbreviations_are_jargon(text, lang):
    assert {f.code for f in wording.check(text, lang)} == {"jargon"}


def test_familiar_abbreviations_are_not_jargon():
    assert wording.check("Would you like a reply to your complaint by SMS?") == []
    assert wording.check("Хотите ли вы получить ответ по вашей жалобе в SMS?", "ru") == []
