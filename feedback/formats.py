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
from babel.numbers import parse_pattern

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


MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash and breaks across lines


def _fixed(value, locale: str, decimals: int, kind: str = "decimal") -> str:
    """``value`` with exactly ``decimals`` decimals in the locale's own pattern and digits."""
    try:
        loc = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        loc = Locale.parse("en")
    formats = loc.percent_formats if kind == "percent" else loc.decimal_formats
    pattern = parse_pattern(formats[None].pattern)
    pattern.frac_prec = (decimals, decimals)
    text = pattern.apply(value, loc, numbering_system="default")
    if kind == "percent":  # Babel keeps the pattern's Latin "%"; Persian and Arabic have their own
        system = loc.default_numbering_system or "latn"
        text = text.replace("%", loc.number_symbols[system].get("percentSign", "%"))
    return digits(text, str(loc))


def decimal(value, locale: str, decimals: int = 0) -> str:
    """'1,234.5', '۱٬۲۳۴٫۵', '1 234,5'; negative values carry a real minus sign."""
    text = _fixed(abs(value), locale, decimals)
    return MINUS + text if round(value, decimals) < 0 else text


def signed(value, locale: str, decimals: int = 0) -> str:
    """A difference or an NPS with its sign always shown: '+39', '−11.4'; '0' has none."""
    rounded = round(value, decimals)
    text = _fixed(abs(value), locale, decimals)
    return ("+" if rounded > 0 else MINUS if rounded < 0 else "") + text


def percent(value, locale: str, decimals: int = 0) -> str:
    """A value already in percent (CSAT, a response rate) as '42%', '۴۲٪', '42 %'."""
    text = _fixed(abs(value) / 100, locale, decimals, kind="percent")
    return MINUS + text if round(value, decimals) < 0 else text


def short_date(moment: date | datetime, locale: str) -> str:
    """A compact date: Babel's medium format ('Dec 1, 2026', '1 дек. 2026 г.'); for Persian,
    the Jalali date as '۱۴۰۵/۰۹/۱۰'."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if locale.split("_")[0] == "fa":
        try:
            jalali = jdatetime.date.fromgregorian(date=day)
            return digits(f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}", locale)
        except (ValueError, OverflowError):
            pass
    try:
        return digits(babel_date(day, format="medium", locale=locale), locale)
    except (ValueError, UnknownLocaleError):
        return babel_date(day, format="medium", locale="en")


def date_time(moment: datetime, locale: str) -> str:
    """The short date and the 24-hour clock time, in the locale's digits."""
    return f"{short_date(moment, locale)} {digits(moment.strftime('%H:%M'), locale)}"
