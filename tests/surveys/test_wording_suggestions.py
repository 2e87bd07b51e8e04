"""No suggestion may fail its own check: whatever the checker proposes passes it with no error or warning."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from surveys import wording
from surveys.wording.engine import normalize, ruleset
from surveys.wording.evaluate import load

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
LANGS = ("en", "fa", "ar", "ru")
BLOCKING = {"error", "warning"}
# The development sets only: the 2026 held-out set is read by bench/wording.py alone.
LABELLED = [DATA / f"wording_{lang}.jsonl" for lang in LANGS] + [
    DATA / "wording_holdout.jsonl",
    DATA / "wording_2026_dev.jsonl",
]

# Texts written to trigger every rule that has a fix or a rewrite (the coverage test below keeps this true).
EXAMPLES = {
    "en": [
        "Surely the checkout was simple for you?",
        "Obviously our staff were helpful, so how helpful were they?",
        "Most customers rate us 10 — how would you rate us?",
        "9 out of 10 shoppers loved it; what did you think?",
        "Everyone says our staff are great. How were they?",
        "Our hotel has a 4.8-star rating on TripAdvisor. How would you rate your stay?",
        "How much did you love our amazing service?",
        "How much did you enjoy our awful, overpriced buffet?",
        "You thought our staff were friendly, didn't you?",
        "Do you always get a seat on our trains?",
        "Would you agree that our menu is varied?",
        "What did you enjoy most about our outstanding spa?",
        "How satisfied were you with the price and quality of our amazing food?",
    ],
    "fa": [
        "حتماً پرداخت برایتان ساده بود؟",
        "اکثر مشتریان ما به پشتیبانی نمره ۹ می‌دهند. شما چه نمره‌ای می‌دهید؟",
        "همه می‌گویند غذای ما خوشمزه است؛ غذای امروز چطور بود؟",
        "خدمات فوق‌العاده و گران‌فروشی ما را چگونه ارزیابی می‌کنید؟",
        "پیک ما چقدر سریع و مؤدب بود؟",
    ],
    "ar": [
        "بالتأكيد كانت عملية الدفع سهلة بالنسبة لك؟",
        "معظم عملائنا يمنحون خدمتنا ٩ من ١٠. كم تمنحها أنت؟",
        "الجميع يقول إن طعامنا لذيذ. كيف كان طعامك اليوم؟",
        "كيف تقيّم الخدمة الأفضل في المدينة؟",
        "ما مدى سرعة ولطف مندوب التوصيل الرائع؟",
    ],
    "ru": [
        "Конечно же, оплата была для вас простой?",
        "Большинство наших клиентов ставят нам 5 звёзд. А как бы оценили нас вы?",
        "Все говорят, что у нас вкусно. Как вам сегодняшний обед?",
        "Как вы оцениваете нашу отличную и ужасно дорогую доставку?",
        "Был ли курьер вежливым и пунктуальным?",
    ],
}
# A frame for each word of a removable lexicon: removing the word leaves a neutral question.
FRAMES = {
    "en": "How would you rate our {} service?",
    "fa": "خدمات {} ما را چگونه ارزیابی می‌کنید؟",
    "ar": "كيف تقيّم الخدمة {} لدينا؟",
    "ru": "Как вы оцениваете {}ый сервис?",
}
PLAIN_WORD = re.compile(r"^[\w\s'’-]+$")


def _raw_rules(lang: str) -> dict:
    return tomllib.loads((resources.files("surveys.wording") / "rules" / f"{lang}.toml").read_text("utf-8"))


def _lexicon_texts(lang: str) -> list[str]:
    out = []
    for item in _raw_rules(lang).get("lexicon", []):
        if item.get("fix") or item.get("rewrite"):
            out += [FRAMES[lang].format(w) for w in item["words"] if PLAIN_WORD.match(w)]
    return out


def _texts(lang: str) -> list[str]:
    labelled = [item.text for path in LABELLED for item in load(path, lang) if item.lang == lang]
    return labelled + EXAMPLES[lang] + _lexicon_texts(lang)


def _failures(text: str, lang: str) -> list[str]:
    out = []
    for f in wording.check(text, lang):
        if f.suggestion is None:
            continue
        bad = [g.code for g in wording.check(f.suggestion, lang) if g.severity in BLOCKING]
        if bad:
            out.append(f"{text!r} -> {f.code} suggests {f.suggestion!r}, which is flagged {bad}")
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_suggestion_fails_its_own_check(lang):
    failures = [line for text in _texts(lang) for line in _failures(text, lang)]
    assert failures == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_rule_with_a_fix_is_exercised(lang):
    rs = ruleset(lang)
    texts = [normalize(t, rs.normalize).text for t in _texts(lang)]
    untested = [
        rule.message
        for rule in rs.rules
        if (rule.fix or rule.rewrite) and not any(rule.regex.search(t) for t in texts)
    ]
    assert untested == []


@pytest.mark.parametrize("lang", LANGS)
def test_removable_words_get_a_clean_suggestion(lang):
    missing = [t for t in _lexicon_texts(lang) if not any(f.suggestion for f in wording.check(t, lang))]
    assert missing == []


def test_a_rewrite_that_still_presupposes_is_fixed_further():
    text = "How much did you love our amazing service?"
    found = wording.check(text)
    assert {f.code for f in found} == {"presupposition", "leading"}
    assert {f.suggestion for f in found} == {"How would you rate our service?"}
    assert wording.check("How would you rate our service?") == []


def test_a_suggestion_that_cannot_be_made_clean_is_dropped():
    # Removing "amazing" leaves a tag question, which has no automatic fix.
    (praise, tag) = wording.check("Our amazing staff were helpful, weren't they?")
    assert (praise.code, tag.code) == ("leading", "leading")
    assert praise.suggestion is None


def test_settle_returns_clean_text_or_nothing():
    assert wording.settle("How would you rate our service?") == "How would you rate our service?"
    assert wording.settle("How would you rate our amazing service?") == "How would you rate our service?"
    assert wording.settle("The staff were helpful, weren't they?") is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_balanced_scale_offered_for_labels_is_itself_balanced(lang):
    example = ruleset(lang).balanced_example
    assert [f for f in wording.check(example, lang) if f.severity in BLOCKING] == []


def test_a_split_is_offered_only_when_each_side_is_one_word():
    (db,) = wording.check("How fast and friendly was our driver?")
    assert db.suggestion == "How fast was our driver? How friendly was our driver?"
    (clause,) = wording.check("Were the staff polite and the waiting time short?")
    assert clause.suggestion is None  # "polite … time" cannot be cut into two sensible questions
    (fa,) = wording.check("آیا پیک ما مؤدب و وقت‌شناس بود؟", "fa")
    assert fa.suggestion == "آیا پیک ما مؤدب بود؟ آیا پیک ما وقت‌شناس بود؟"
