"""Persian pages count in Persian digits and date by the Solar Hijri calendar; Arabic pages use
Arabic-Indic digits; the score buttons keep plain numbers as their accessible names."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from feedback import formats
from tests.respond.helpers import invite, publish, two_page_survey


def _page(client, token) -> str:
    response = client.get(f"/s/{token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("day", "locale", "expected"),
    [
        (date(2026, 3, 21), "fa_IR", "۱ فروردین ۱۴۰۵"),  # Nowruz 1405
        (date(2026, 12, 16), "fa_IR", "۲۵ آذر ۱۴۰۵"),
        (date(2026, 3, 20), "fa_IR", "۲۹ اسفند ۱۴۰۴"),  # the last day of 1404
        (date(2026, 12, 16), "ar_SA", "١٦ ديسمبر ٢٠٢٦"),
        (date(2026, 12, 16), "ru", "16 декабря 2026\u202fг."),
    ],
)
def test_long_dates(day, locale, expected):
    assert formats.long_date(day, locale) == expected


def test_numbers_and_months():
    assert formats.number(1234.5, "fa_IR") == "۱٬۲۳۴٫۵"
    assert formats.number(1234.5, "ar_SA") == "١٬٢٣٤٫٥"
    assert formats.number(1234.5, "ar") == "1,234.5"  # CLDR: bare Arabic keeps Latin digits
    assert formats.month("2026-08", "fa_IR") == "مرداد ۱۴۰۵"
    assert formats.month("2026-08", "en") == "August 2026"
    assert formats.number(7, "zz_ZZ") == "7"  # an unknown locale falls back, never fails
    assert formats.format_locale("ar") == "ar_SA" and formats.format_locale("en-GB") == "en_GB"


def test_a_persian_page_counts_and_dates_in_persian(app, client):
    token = invite(app, publish(app, two_page_survey()), locale="fa")
    html = _page(client, token)
    assert "صفحه ۱ از ۲" in html
    until = re.search(r'<p class="until">([^<]+)</p>', html).group(1)
    assert re.search(
        r"[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹]{2}", until
    )
    assert not re.search(r"[0-9]", until)
    # Visible digits are Persian; the accessible name stays the number.
    assert re.search(r'value="9"[^>]*aria-label="9"[^>]*><span>۹</span>', html)


def test_an_english_page_is_unchanged(app, client):
    html = _page(client, invite(app, publish(app, two_page_survey())))
    assert "Page 1 of 2" in html and 'aria-label="9"' not in html and "<span>9</span>" in html


def test_the_arabic_reader_variant_is_a_setting(app, client):
    spec = _renamed(two_page_survey(), "fa", "ar")
    spec["locales"] = ["en", "ar"]
    survey_id = publish(app, spec)
    assert "<span>٩</span>" in _page(client, invite(app, survey_id, locale="ar"))
    app.config["FORMAT_LOCALES"] = {"ar": "ar"}
    assert "<span>9</span>" in _page(client, invite(app, survey_id, "c2", locale="ar"))


def _renamed(value, old: str, new: str):
    if isinstance(value, dict):
        return {(new if k == old else k): _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    return value


def test_year_edges_do_not_break_dates():
    # Beyond jdatetime's range the Gregorian date is shown, in Persian digits.
    assert formats.long_date(datetime(9999, 12, 31, tzinfo=UTC), "fa_IR").endswith("۹۹۹۹")
    assert formats.long_date(date(1, 1, 1), "en") == "January 1, 1"
