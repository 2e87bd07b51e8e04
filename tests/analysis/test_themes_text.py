"""Normalisation, tokenisation and language detection for theme tagging."""

from __future__ import annotations

import pytest

from analysis.themes import detect_language, normalize
from analysis.themes.normalize import normalized
from analysis.themes.tokens import forms


@pytest.mark.parametrize(
    ("variants", "lang"),
    [
        (["كيفيت", "کیفیت"], "fa"),  # Arabic against Persian yeh and kaf
        (["ي", "ی", "ى"], "fa"),
        (["ك", "ک"], "ar"),
        (["ي", "ی", "ى"], "ar"),
        (["أسعار", "إسعار", "آسعار", "ٱسعار", "اسعار"], "ar"),  # alef and hamza forms
        (["مسؤول", "مسوول"], "ar"),
        (["مسئول", "مسیول"], "fa"),
        (["فاتورة", "فاتوره"], "ar"),  # taa marbuta
        (["خانة", "خانه"], "fa"),
        (["ممتــــاز", "ممتاز"], "ar"),  # tatweel
        (["شُكْرًا", "شكرا"], "ar"),  # harakat
        (["التَّوصيل", "التوصيل"], "ar"),
        (["می\u200cخواستم", "میخواستم", "می خواستم"], "fa"),  # non-joiner present, missing or a space
        (["نمی\u200cخواستم", "نمیخواستم", "نمی خواستم"], "fa"),
        (["بسته\u200cها", "بستهها", "بسته ها"], "fa"),
        (["۱۲۳", "١٢٣", "123"], "fa"),  # Persian and Arabic-Indic digits
        (["٥ أيام", "5 ايام"], "ar"),
        (["ещё", "еще", "ЕЩЁ"], "ru"),  # ё and case
        (["Delivery", "DELIVERY", "delivery"], "en"),
        (["ﬁne", "fine"], "en"),  # NFKC
        (["cafe\u0301", "café"], "en"),
        (["Straße", "strasse"], "en"),  # case folding
        (["ﻻ", "لا"], "ar"),  # presentation forms
    ],
)
def test_variants_normalise_alike(variants, lang):
    assert len({normalize(v, lang) for v in variants}) == 1


def test_invisible_marks_and_spaces_are_folded():
    assert normalize("  fast\u200b  delivery\t\n", "en") == "fast delivery"
    assert normalize("a\x00b", "en") == "a b"
    assert normalize("", "fa") == ""


def test_unknown_language_gets_the_common_folding():
    assert normalize("ÉTÉ ١٢", "de") == "été 12"
    assert normalize("Hello", None) == "hello"


def test_spans_map_back_to_the_original_text():
    text = "التَّوصيل سريع"
    n = normalized(text, "ar")
    start = n.text.index("سريع")
    assert text[slice(*n.span(start, start + 4))] == "سريع"


def test_persian_negated_verbs_are_also_read_without_the_prefix():
    assert ("رسید", True) in {(f.text, f.negated) for f in forms("نرسید", "fa")}
    assert ("اومد", True) in {(f.text, f.negated) for f in forms("نیومد", "fa")}


def test_arabic_proclitics_are_also_read_without_them():
    assert "مندوب" in {f.text for f in forms("والمندوب", "ar")}
    assert ("وصل", True) in {(f.text, f.negated) for f in forms("ماوصل", "ar")}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("کارتن مبل کامل پاره شده بود", "fa"),
        ("خيلي خوب بود", "fa"),  # Persian typed on an Arabic keyboard
        ("كارت باشگاه مشتريان راه بندازيد؟", "fa"),
        ("الطلب وصل متأخر", "ar"),
        ("شكراً على الخدمة", "ar"),
        ("кассир нахамил", "ru"),
        ("Ёлка", "ru"),
        ("the courier was late", "en"),
        ("the app خیلی بد است", "fa"),  # mixed scripts: the one with more letters
    ],
)
def test_language_is_told_by_the_script(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "10", "👍👍", "!!!", "سلام", None])
def test_nothing_decides(text):
    assert detect_language(text) is None
