"""Does the customer ask to be contacted? "please call me", "با من تماس بگیرید", "перезвоните"."""

from __future__ import annotations

import re

from analysis.themes.detect import detect_language
from analysis.themes.normalize import base_language, normalize

# Written in their normalised form (Persian yeh and kaf, bare alef, no ZWNJ, ё as е).
_ASKS = {
    "en": [
        r"\bcall me\b",
        r"\bcall me back\b",
        r"\bcall back\b",
        r"\bring me\b",
        r"\bphone me\b",
        r"\bcontact me\b",
        r"\bget (?:in touch|back) (?:with|to) me\b",
        r"\breach (?:out to )?me\b",
        r"\be-?mail me\b",
        r"\bsomeone (?:should|to|please) (?:call|contact)\b",
        r"\bwant (?:a|to) (?:call|talk to (?:a|someone))\b",
    ],
    "fa": [
        r"تماس بگیر",
        r"باهام تماس",
        r"با من تماس",
        r"زنگ بزن",
        r"زنگ بزنی",
        r"تماس بگیرین",
        r"پیگیری کنید",
    ],
    "ar": [
        r"اتصلوا",
        r"اتصل بي",
        r"اتصلو علي",
        r"كلموني",
        r"كلمني",
        r"تواصلوا معي",
        r"تواصل معي",
        r"يتواصل معي",
        r"يتصل بي",
        r"ارجو الاتصال",
        r"رجاء الاتصال",
    ],
    "ru": [
        r"перезвоните",
        r"позвоните",
        r"свяжитесь",
        r"наберите меня",
        r"напишите мне",
        r"свяжитесь со мной",
    ],
}
_ASKS["ar"] = [normalize(p, "ar") for p in _ASKS["ar"]]
_ASKS["fa"] = [normalize(p, "fa") for p in _ASKS["fa"]]
_NOT = {
    "en": r"\b(?:don'?t|do not|no need to|never|stop)\s+(?:\w+\s+){0,2}$",
    "fa": r"(?:نیازی نیست|لازم نیست|نه)\s*$",
    "ar": r"(?:لا|ما|مو|مش)\s+$",
    "ru": r"(?:не|не надо|не нужно)\s+$",
}
_COMPILED = {
    lang: (re.compile("|".join(f"(?:{p})" for p in patterns)), re.compile(_NOT[lang]))
    for lang, patterns in _ASKS.items()
}


def asks_for_contact(text: str, lang: str | None = None) -> bool:
    """True when the comment asks the company to get in touch.

    >>> asks_for_contact("kettle broke after a week, please call me")
    True
    >>> asks_for_contact("please don't call me, just fix it")
    False
    >>> asks_for_contact("لطفا با من تماس بگیرید", "fa"), asks_for_contact("перезвоните пожалуйста")
    (True, True)
    """
    if not isinstance(text, str) or not text.strip():
        return False
    base = base_language(lang) or detect_language(text)
    if base not in _COMPILED:
        return False
    asks, negated = _COMPILED[base]
    folded = normalize(text, base)
    for match in asks.finditer(folded):
        if not negated.search(folded[max(0, match.start() - 30) : match.start()]):
            return True
    return False
