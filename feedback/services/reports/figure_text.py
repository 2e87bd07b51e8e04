"""What the figures say, in the reader's language: their phrases, numbers, months and direction.

``analysis.figures`` stays free of Flask; this module hands it a ``Wording`` built from the
current locale (the staff member's, or the digest recipient's under ``force_locale``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from flask import current_app, has_app_context
from flask_babel import get_locale, gettext, pgettext

from analysis import figures
from feedback import formats

RTL_LANGUAGES = ("fa", "ar")
MONTH = re.compile(r"\d{4}-\d{2}")


def language() -> str:
    return str(get_locale() or "en").split("_")[0]


def reader_locale() -> str:
    """The formatting locale of the current language (``FEEDBACK_FORMAT_LOCALES`` maps ar to ar_SA)."""
    mapping = current_app.config.get("FORMAT_LOCALES") if has_app_context() else None
    return formats.format_locale(language(), mapping)


def is_rtl() -> bool:
    return language() in RTL_LANGUAGES


def phrases() -> dict[str, str]:
    # One gettext call per phrase, so that extraction finds every msgid.
    return {
        "NPS (points)": gettext("NPS (points)"),
        "NPS": gettext("NPS"),
        "too few answers": gettext("too few answers"),
        "too few answers to report": gettext("too few answers to report"),
        "estimate": gettext("estimate"),
        "all: %(value)s": gettext("all: %(value)s"),
        "upper limit": gettext("upper limit"),
        "lower limit": gettext("lower limit"),
        "value": gettext("value"),
        "Share of comments (%)": gettext("Share of comments (%)"),
        "95%% interval %(low)s to %(high)s": gettext("95%% interval %(low)s to %(high)s"),
        "%(k)s of %(n)s comments": gettext("%(k)s of %(n)s comments"),
    }


def theme_names() -> dict[str, str]:
    """The default themes' names as a reader sees them: a name standing alone (a tag, a legend,
    a table row), hence its own context, apart from the same English word inside a sentence."""
    return {
        "product_defect": pgettext("theme", "product defect"),
        "price": pgettext("theme", "price"),
        "delivery": pgettext("theme", "delivery"),
        "staff": pgettext("theme", "staff"),
        "packaging": pgettext("theme", "packaging"),
        "billing": pgettext("theme", "billing"),
        "usability": pgettext("theme", "usability"),
        "feature_request": pgettext("theme", "feature request"),
    }


def field_names() -> dict[str, str]:
    """The fields reports break down by (``segments.SEGMENT_FIELDS``) as a reader names them."""
    return {
        "tier": gettext("tier"),
        "channel": gettext("channel"),
        "region": gettext("region"),
        "category": gettext("category"),
        "store": gettext("store"),
        "locale": gettext("language"),
    }


def month_labels(periods: Iterable[str], locale: str | None = None) -> dict[str, str]:
    """Each 'YYYY-MM' period as the locale's month and year; for Persian, the Jalali month."""
    locale = locale or reader_locale()
    return {p: formats.month(p, locale) for p in periods if isinstance(p, str) and MONTH.fullmatch(p)}


def week_labels(periods: Iterable[str], locale: str | None = None) -> dict[str, str]:
    """Each week, named by its Monday ('YYYY-MM-DD'), as the locale's short date; Jalali for fa."""
    locale = locale or reader_locale()
    out = {}
    for p in periods:
        try:
            out[p] = formats.short_date(date.fromisoformat(p), locale)
        except (TypeError, ValueError):
            continue
    return out


def wording(periods: Iterable[str] = (), *, weeks: bool = False) -> figures.Wording:
    """A ``figures.Wording`` for the current reader, labelling ``periods`` as month names (or,
    with ``weeks``, as the dates of their Mondays)."""
    locale = reader_locale()
    return figures.Wording(
        text=phrases(),
        number=lambda value: formats.decimal(value, locale, 1),
        count=lambda n: formats.decimal(n, locale),
        periods=week_labels(periods, locale) if weeks else month_labels(periods, locale),
        rtl=is_rtl(),
    )
