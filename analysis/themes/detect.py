"""Which of the four languages a comment is in, from its script when the locale is unknown."""

from __future__ import annotations

import re

# Letters only Persian uses, and letters a Persian keyboard does not type.
_PERSIAN_LETTERS = frozenset("پچژگکیۀ")
_ARABIC_LETTERS = frozenset("ةيكىؤ")
_ARABIC_TAA = "ة"

# Frequent words of one language that the other does not write (spelt here with Persian yeh
# and kaf; the comment is folded the same way before they are compared). "ما" is in neither:
# it is Persian "we" and Gulf Arabic "not".
_PERSIAN_WORDS = frozenset(
    [
        "خیلی",
        "است",
        "این",
        "که",
        "را",
        "می",
        "نمی",
        "هم",
        "بود",
        "نبود",
        "نیست",
        "نیستم",
        "هست",
        "بودم",
        "بودن",
        "شد",
        "نشد",
        "کردم",
        "کرد",
        "میکنم",
        "ولی",
        "اما",
        "یه",
        "یک",
        "چی",
        "چیزی",
        "همه",
        "دیگه",
        "اصلا",
        "واقعا",
        "ممنون",
        "مرسی",
        "تشکر",
        "راضی",
        "عالی",
        "خوب",
        "بد",
        "از",
        "با",
        "برای",
        "تو",
        "اون",
        "اینکه",
        "چون",
        "کاش",
        "لطفا",
        "هیچ",
        "وقتی",
        "میشه",
        "نمیشه",
        "بودید",
        "دارید",
        "بدید",
        "کنید",
        "شما",
        "خودم",
        "هیچی",
        "خریدم",
    ]
)
_ARABIC_WORDS = frozenset(
    [
        "فی",
        "علی",
        "عن",
        "هذا",
        "هذه",
        "الذی",
        "التی",
        "کان",
        "کانت",
        "لا",
        "لم",
        "لن",
        "لیس",
        "جدا",
        "کل",
        "شی",
        "مع",
        "بس",
        "مو",
        "ماکو",
        "هیک",
        "عشان",
        "انا",
        "احنا",
        "اللی",
        "مش",
        "وایدا",
        "وایه",
        "کتیر",
        "کثیر",
        "شکرا",
        "ممتاز",
        "الله",
        "والله",
        "یعطیکم",
        "الحمد",
        "ماشاء",
        "بالوقت",
        "بالضبط",
        "لقیت",
        "ابی",
        "ابغی",
        "حدا",
        "شوی",
        "زی",
        "مافی",
        "لیش",
        "لان",
        "ولا",
        "او",
        "ان",
        "الی",
        "الطلب",
        "التوصیل",
        "المندوب",
        "الموظف",
        "التطبیق",
    ]
)
_PERSIAN_AL_WORDS = frozenset({"الان", "البته", "الکی", "الکترونیکی", "الگو"})
_WORD = re.compile(r"[\u0600-\u06ff]+")
_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "\u0640": None}
    | {chr(c): None for c in (*range(0x064B, 0x0660), 0x0670)}
)


def detect_language(text: str) -> str | None:
    """ "en", "fa", "ar" or "ru" from the letters of ``text``; ``None`` when nothing decides.

    Cyrillic is read as Russian and Latin as English. Between Persian and Arabic, letters
    only one of them writes (پ چ ژ گ against ة) and frequent words decide; a comment in that
    script with neither, such as one word shared by both, gives ``None``.

    Examples
    --------
    >>> detect_language("کارتن مبل کامل پاره شده بود")
    'fa'
    >>> detect_language("خيلي خوب")  # Persian typed on an Arabic keyboard
    'fa'
    >>> detect_language("التوصيل كان سريع جدا")
    'ar'
    >>> detect_language("доставка быстрая"), detect_language("fast delivery")
    ('ru', 'en')
    >>> detect_language("👍 10") is None
    True
    """
    if not isinstance(text, str):
        return None
    latin = cyrillic = arabic = 0
    for ch in text:
        if ch.isalpha():
            code = ord(ch)
            if code < 0x250:
                latin += 1
            elif 0x400 <= code < 0x530:
                cyrillic += 1
            elif 0x600 <= code < 0x700 or 0xFB50 <= code < 0xFE00 or 0xFE70 <= code < 0xFF00:
                arabic += 1
    best = max(latin, cyrillic, arabic)
    if best == 0:
        return None
    if arabic == best:
        return _persian_or_arabic(text)
    return "ru" if cyrillic == best and cyrillic > latin else ("en" if latin == best else None)


def _persian_or_arabic(text: str) -> str | None:
    fa = 2.0 * sum(ch in _PERSIAN_LETTERS for ch in text)
    ar = 2.0 * text.count(_ARABIC_TAA) + 0.25 * sum(ch in _ARABIC_LETTERS for ch in text)
    for word in _WORD.findall(text):
        folded = word.translate(_FOLD)
        if folded in _PERSIAN_WORDS:
            fa += 3
        if folded in _ARABIC_WORDS:
            ar += 3
        elif (folded.startswith("ال") and len(folded) > 3 and folded not in _PERSIAN_AL_WORDS) or (
            folded.startswith(("وال", "بال", "فال")) and len(folded) > 4
        ):
            ar += 2
    if fa == ar:
        return None
    return "fa" if fa > ar else "ar"
