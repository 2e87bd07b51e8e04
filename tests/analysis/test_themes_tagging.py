"""Theme tags, their polarity, negation in every language, and robustness."""

from __future__ import annotations

import pytest

from analysis.themes import CATALOGUE, DEPARTMENT, LABELS, THEMES, ThemeTag, tag, theme


def tags(text, lang=None):
    return {(t.code, t.polarity) for t in tag(text, lang)}


def codes(text, lang=None):
    return {t.code for t in tag(text, lang)}


def test_default_themes_in_order():
    assert THEMES == (
        "product_defect",
        "price",
        "delivery",
        "staff",
        "packaging",
        "billing",
        "usability",
        "feature_request",
    )
    assert tuple(t.code for t in CATALOGUE) == THEMES


def test_every_theme_names_its_department_and_labels():
    assert DEPARTMENT["delivery"] == "logistics"
    assert DEPARTMENT["billing"] == "accounts"
    assert DEPARTMENT["price"] == "sales"
    assert DEPARTMENT["usability"] == DEPARTMENT["feature_request"] == "product/design"
    for code in THEMES:
        assert set(LABELS[code]) == {"en", "fa", "ar", "ru"}
        assert theme(code).to_dict()["department"] == DEPARTMENT[code]
    assert ThemeTag("staff", "praise", None, "model", 0.7).department.startswith("customer service")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("the delivery was NOT late, but the box was crushed", "en", {("packaging", "complaint")}),
        ("the courier wasn't late at all", "en", {("delivery", "praise")}),
        ("parcel never arrived", "en", {("delivery", "complaint")}),
        ("cashier didnt even say hi", "en", {("staff", "complaint")}),
        ("پیک دیر نرسید ولی جعبه له شده بود", "fa", {("packaging", "complaint")}),
        ("سفارشم هنوز نرسیده", "fa", {("delivery", "complaint")}),
        ("رسید خرید بهم ندادن", "fa", {("billing", "complaint")}),
        ("فروشنده اصلا مودب نبود", "fa", {("staff", "complaint")}),
        ("المندوب ما تأخر بس الكرتون كان مدعوس", "ar", {("packaging", "complaint")}),
        ("لم يصلني الطلب", "ar", {("delivery", "complaint")}),
        ("الموظف مو محترم", "ar", {("staff", "complaint")}),
        ("الطلب ماوصل", "ar", {("delivery", "complaint")}),
        ("курьер не опоздал, но коробка помятая", "ru", {("packaging", "complaint")}),
        ("заказ так и не привезли", "ru", {("delivery", "complaint")}),
        ("чек не выдали", "ru", {("billing", "complaint")}),
        ("деньги не вернули", "ru", {("billing", "complaint")}),
    ],
)
def test_negation(text, lang, expected):
    assert tags(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("no problems with the courier", "en"),
        ("با پیک هیچ مشکلی نداشتم", "fa"),
        ("ما في مشكلة مع المندوب", "ar"),
        ("с курьером никаких проблем", "ru"),
    ],
)
def test_no_problem_with_delivery_is_not_a_complaint(text, lang):
    assert ("delivery", "complaint") not in tags(text, lang)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("fast delivery, thanks", "en", {("delivery", "praise")}),
        (
            "helpful staff in store but the app is a nightmare",
            "en",
            {("staff", "praise"), ("usability", "complaint")},
        ),
        ("bit pricey for what it is", "en", {("price", "complaint")}),
        ("prices are the same as everywhere else", "en", {("price", "neutral")}),
        ("would be nice to have a loyalty card", "en", {("feature_request", "neutral")}),
        ("ارسال سریع بود ولی کارتن داغون بود", "fa", {("delivery", "praise"), ("packaging", "complaint")}),
        ("کاش جمعه‌ها هم باز بودید", "fa", {("feature_request", "neutral")}),
        ("خیلی گرون شده", "fa", {("price", "complaint")}),
        ("التوصيل سريع بس الكرتون كان مدعوس", "ar", {("delivery", "praise"), ("packaging", "complaint")}),
        ("يستاهل كل ريال", "ar", {("price", "praise")}),
        ("доставили быстро, спасибо", "ru", {("delivery", "praise")}),
        ("сотрудники вежливые", "ru", {("staff", "praise")}),
        ("сделайте карту лояльности", "ru", {("feature_request", "neutral")}),
    ],
)
def test_polarity(text, lang, expected):
    assert tags(text, lang) == expected


def test_praise_is_never_a_complaint():
    for text in ("fast delivery, thanks", "arrived next day!! super fast", "came on time, great"):
        assert ("delivery", "complaint") not in tags(text, "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("all fine thanks", "en"),
        ("خیلی بد بود اصلا راضی نیستم", "fa"),
        ("كل شي تمام شكرا", "ar"),
        ("спасибо", "ru"),
    ],
)
def test_comments_without_a_theme_stay_untagged(text, lang):
    assert tag(text, lang) == []


def test_language_detected_when_not_given():
    assert codes("دیر رسید و پیک بی‌ادب بود") == {"delivery", "staff"}
    assert tag("👍") == []


def test_span_points_into_the_original_text():
    text = "Great service but the BOX was crushed"
    (t,) = [t for t in tag(text, "en") if t.code == "packaging"]
    assert "crushed" in text[t.span[0] : t.span[1]].lower() or "BOX" in text[t.span[0] : t.span[1]]
    assert t.source == "rule" and 0 < t.confidence <= 1
    assert t.to_dict()["span"] == list(t.span)
    assert "packaging" in t.summary()


def test_locale_and_unknown_language():
    assert codes("خیلی گرون شده", "fa-IR") == {"price"}
    with pytest.raises(ValueError, match="no theme rules"):
        tag("hello", "de")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x00",
        "a\x00b late delivery",
        "😀🔥👍" * 50,
        "x" * 30_000,
        "late " * 3_000,
        "not " * 2_000,
        "the courier دیر اومد и нахамил ولا وصل",
        "\u200c\u200d\ufeff",
        "ـــــ",
        "\ud800",
        "((((((((((",
        "*" * 1000,
    ],
)
@pytest.mark.parametrize("lang", [None, "en", "fa", "ar", "ru"])
def test_garbage_never_raises(text, lang):
    result = tag(text, lang)
    assert isinstance(result, list)
    assert all(isinstance(t, ThemeTag) for t in result)


def test_none_text_is_untagged():
    assert tag(None, "en") == []
