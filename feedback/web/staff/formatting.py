"""Template filters that write figures the way the reader reads them.

``{{ e.value|signed }}``, ``{{ n|number }}``, ``{{ rate|percent(1) }}``, ``{{ when|date }}``,
``{{ '2026-10'|month }}``: Babel's separators, the locale's digits (Persian for fa, Arabic-Indic
for ar), the Solar Hijri calendar for fa, and a real minus sign. A signed or negative figure
comes isolated in ``<bdi dir="ltr">`` so that right-to-left text around it cannot move its sign;
pass ``isolate=False`` inside an attribute. Registered app-wide: digests use them too.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime

from flask_babel import gettext
from markupsafe import Markup, escape

from feedback import formats
from feedback.services.reports import figure_text, method_text
from feedback.services.reports.figure_text import reader_locale
from feedback.web.staff import bp
from surveys import messages

MISSING = "—"


def isolated(text: str, isolate: bool = True) -> Markup | str:
    """``text`` in a left-to-right isolate, so a sign stays beside its digits in RTL text."""
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(text) if isolate else text


@bp.app_template_filter("number")
def number(value, decimals: int = 0, isolate: bool = True):
    if value is None:
        return MISSING
    text = formats.decimal(value, reader_locale(), decimals)
    return isolated(text, isolate) if text.startswith(formats.MINUS) else text


@bp.app_template_filter("signed")
def signed(value, decimals: int = 0, isolate: bool = True):
    if value is None:
        return MISSING
    return isolated(formats.signed(value, reader_locale(), decimals), isolate)


@bp.app_template_filter("percent")
def percent(value, decimals: int = 0, isolate: bool = True):
    """A value already in percent: ``42.3|percent`` is '42%', '۴۲٪' in Persian."""
    if value is None:
        return MISSING
    text = formats.percent(value, reader_locale(), decimals)
    return isolated(text, isolate) if text.startswith(formats.MINUS) else text


@bp.app_template_filter("date")
def date(value, form: str = "long") -> str:
    """``form`` is long ('1 December 2026', '۱۰ آذر ۱۴۰۵'), short, or datetime (short and the time)."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    locale = reader_locale()
    if form == "datetime" and isinstance(value, datetime):
        return formats.date_time(value, locale)
    if form in ("short", "datetime") and isinstance(value, Date):
        return formats.short_date(value, locale)
    return formats.long_date(value, locale)


@bp.app_template_filter("month")
def month(period) -> str:
    """A 'YYYY-MM' period as the month and year ('October 2026', 'مهر ۱۴۰۵'); anything else as is."""
    try:
        return formats.month(str(period), reader_locale())
    except ValueError:
        return str(period)


@bp.app_template_filter("theme")
def theme(code) -> str:
    """A theme code as the reader names it ('delivery', 'تحویل'); a staff-made theme as its code."""
    text = str(code or "")
    return figure_text.theme_names().get(text) or text.replace("_", " ")


def _words() -> dict[str, str]:
    # One gettext call per word, so extraction finds each.
    return {
        "complaint": gettext("complaint"),
        "praise": gettext("praise"),
        "neutral": gettext("neutral"),
        "rule": gettext("rule"),
        "model": gettext("model"),
        "staff": gettext("staff correction"),
    }


@bp.app_template_filter("said")
def said(message) -> str:
    """A sentence from ``surveys`` (a wording finding, a survey's problem) in the reader's
    language; its whole numbers in the reader's digits, grouped as the English text groups
    them, so that a page and the API quote the same limit. Any other text comes back as it is."""
    locale = reader_locale()

    def value(v) -> str:
        return formats.digits(str(v), locale) if isinstance(v, int) and not isinstance(v, bool) else str(v)

    return messages.render(message, gettext, value)


@bp.app_template_filter("method")
def method(text) -> str:
    """A figure's method line ("adjusted Wald (Rocks 2016, ...)") in the reader's language."""
    return method_text.render(text)


@bp.app_template_filter("word")
def word(code) -> str:
    """A tag's polarity or source ('complaint', 'rule') in the reader's language; others as they are."""
    text = str(code or "")
    return _words().get(text, text.replace("_", " "))
