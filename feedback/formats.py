"""Numbers and dates in the reader's own script and calendar.

Babel gives the separators and month names; it leaves digits in Latin script, so they are
mapped here to the numbering system CLDR names for the locale (Persian digits for fa,
Arabic-Indic for Arabic locales that use them). Persian dates use the Solar Hijri (Jalali)
calendar, from jdatetime. Which Arabic variant decides the digits is configurable
(``FEEDBACK_FORMAT_LOCALES``); see docs/respondents.md, "Numbers and dates".
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import jdatetime
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal as babel_decimal

DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
# Bare "ar" is Latin-digit in CLDR; Candor's Arabic readers mostly expect Arabic-Indic digits.
DEFAULT_FORMAT_LOCALES = {"fa": "fa_IR", "ar": "ar_SA"}


@lru_cache(maxsize=64)
def _system(locale: str) -> str:
    try:
        return Locale.parse(locale).default_numbering_system or "latn"
    except (ValueError, UnknownLocaleError):
        return "latn"


def format_locale(locale: str | None, mapping: dict | None = None) -> str:
    """The locale whose conventions format figures for a reader of ``locale``."""
    base = str(locale or "en").replace("-", "_")
    return (mapping or DEFAULT_FORMAT_LOCALES).get(base, base)


def digits(text: str, locale: str) -> str:
    """``text`` with its ASCII digits in the locale's own digits."""
    native = DIGITS.get(_system(locale))
    return text.translate(str.maketrans("0123456789", native)) if native else text


def number(value, locale: str, pattern: str | None = None) -> str:
    try:
        text = babel_decimal(value, format=pattern, locale=locale, numbering_system="default")
    except (ValueError, UnknownLocaleError):
        text = babel_decimal(value, format=pattern, locale="en")
    return digits(text, locale)


def long_date(moment: date | datetime, locale: str) -> str:
    """'16 December 2026'; for Persian, the Jalali date in Persian digits: '۲۵ آذر ۱۴۰۵'."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if locale.split("_")[0] == "fa":
        try:
            jalali = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
            return digits(f"{jalali.day} {jalali.j_months_fa[jalali.month - 1]} {jalali.year}", locale)
        except (ValueError, OverflowError):
            pass  # beyond the Jalali range the library covers: the Gregorian date below
    try:
        return digits(babel_date(day, format="long", locale=locale), locale)
    except (ValueError, UnknownLocaleError):
        return babel_date(day, format="long", locale="en")


def month(period: str, locale: str) -> str:
    """A 'YYYY-MM' period as that locale's month and year; for Persian, the Jalali month in
    which the Gregorian month's middle falls."""
    year, mon = (int(part) for part in period.split("-"))
    middle = date(year, mon, 15)
    if locale.split("_")[0] == "fa":
        try:
            jalali = jdatetime.date.fromgregorian(date=middle, locale="fa_IR")
            return digits(f"{jalali.j_months_fa[jalali.month - 1]} {jalali.year}", locale)
        except (ValueError, OverflowError):
            pass
    try:
        return digits(babel_date(middle, format="LLLL y", locale=locale), locale)
    except (ValueError, UnknownLocaleError):
        return babel_date(middle, format="LLLL y", locale="en")
