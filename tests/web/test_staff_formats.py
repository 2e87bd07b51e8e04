"""Figures in the staff member's own script, calendar and direction: the template filters, the
figures' JSON for right-to-left readers, and the digest's PNG labels."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import jdatetime
import numpy as np
import pytest
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import render_template_string
from flask_babel import force_locale

from analysis import figures
from analysis.estimates import Estimate

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


@pytest.fixture(scope="module")
def plain_app():
    """An app without a database: the filters and figures read only the locale."""
    from tests.conftest import make_app

    return make_app("sqlite://")


def _render(app, source: str, locale: str, **values) -> str:
    with app.test_request_context("/staff/"), force_locale(locale):
        return render_template_string(source, **values)


def test_persian_signs_digits_and_jalali_months(plain_app):
    app = plain_app
    assert _render(app, "{{ 39.2|signed }}", "fa") == '<bdi dir="ltr">+۳۹</bdi>'
    assert _render(app, "{{ x|signed(1) }}", "fa", x=-11.44) == '<bdi dir="ltr">\u2212۱۱٫۴</bdi>'
    assert _render(app, "{{ 0.04|signed(1) }}", "fa") == '<bdi dir="ltr">۰٫۰</bdi>'  # no sign on zero
    # The Jalali month in which the Gregorian month's middle falls, from jdatetime itself.
    middle = jdatetime.date.fromgregorian(date=date(2026, 10, 15))
    expected = f"{middle.j_months_fa[middle.month - 1]} {middle.year}".translate(
        str.maketrans("0123456789", PERSIAN)
    )
    assert expected == "مهر ۱۴۰۵"
    assert _render(app, "{{ '2026-10'|month }}", "fa") == expected
    assert _render(app, "{{ d|date }}", "fa", d=date(2026, 12, 1)) == "۱۰ آذر ۱۴۰۵"
    assert _render(app, "{{ d|date('short') }}", "fa", d=date(2026, 12, 1)) == "۱۴۰۵/۰۹/۱۰"
    assert _render(app, "{{ 42.3|percent }}", "fa") == "۴۲٪"


def test_arabic_uses_arabic_indic_digits(plain_app):
    app = plain_app
    shown = _render(app, "{{ 1234567|number }} {{ 12.5|percent(1) }} {{ -3|signed }}", "ar")
    assert shown.startswith("١٬٢٣٤٬٥٦٧ ١٢٫٥٪")
    assert '<bdi dir="ltr">\u2212٣</bdi>' in shown
    assert not any(d in shown for d in "0123456789") and any(d in shown for d in ARABIC_INDIC)
    assert _render(app, "{{ '2026-10'|month }}", "ar") == "أكتوبر ٢٠٢٦"


def test_russian_keeps_latin_digits_with_babel_separators(plain_app):
    app = plain_app
    group, decimal = get_group_symbol("ru"), get_decimal_symbol("ru")
    assert _render(app, "{{ 1234.5|number(1) }}", "ru") == f"1{group}234{decimal}5"
    assert _render(app, "{{ '2026-10'|month }}", "ru") == "октябрь 2026"
    assert _render(app, "{{ -2.5|number(1) }}", "ru") == f'<bdi dir="ltr">\u22122{decimal}5</bdi>'
    assert _render(app, "{{ x|signed(isolate=False) }}", "ru", x=None) == "—"
    assert _render(app, "{{ 'not a month'|month }}", "ru") == "not a month"


def test_a_right_to_left_trend_runs_from_the_right_with_local_labels(plain_app):
    app = plain_app
    periods = ["2026-09", "2026-10", "2026-11"]
    e = Estimate("nps", 12.0, 2.0, 22.0, 140, 0.95, "test")
    ltr = figures.nps_trend(periods, [e, None, e]).to_plotly_json()["layout"]
    assert "autorange" not in ltr["xaxis"] and ltr["yaxis"].get("side") is None
    with app.test_request_context("/staff/"), force_locale("fa"):
        from feedback.services.reports import figure_text

        wording = figure_text.wording(periods)
    fig = figures.nps_trend(periods, [e, None, e], wording=wording).to_plotly_json()
    layout = fig["layout"]
    assert layout["xaxis"]["autorange"] == "reversed"
    assert list(layout["xaxis"]["categoryarray"]) == periods  # still in time order
    assert list(layout["xaxis"]["ticktext"]) == ["شهریور ۱۴۰۵", "مهر ۱۴۰۵", "آبان ۱۴۰۵"]
    assert layout["yaxis"]["side"] == "right" and layout["legend"]["xanchor"] == "right"
    assert "\u2212۱۰۰" in layout["yaxis"]["ticktext"]
    hover = fig["data"][0]["text"][0]
    assert hover.startswith("\u2067شهریور ۱۴۰۵") and hover.endswith("\u2069")  # an RTL isolate
    assert "۱۴۰" in hover and "140" not in hover
    assert fig["layout"]["title"]["text"] == "\u2067NPS by month\u2069"


def _pixels(text: str) -> np.ndarray:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    font.set_size(24, 72)
    font.set_text(text)
    font.draw_glyphs_to_bitmap()
    return np.asarray(font.get_image())


def test_matplotlib_joins_persian_letters():
    # A zero-width non-joiner between letters forces their isolated forms and adds no width:
    # were matplotlib not shaping, both renderings would be the same pixels.
    word = "شکایت"
    joined, isolated = _pixels(word), _pixels("\u200c".join(word))
    assert joined.shape != isolated.shape or not np.array_equal(joined, isolated)
    assert joined.shape[1] < isolated.shape[1]


@pytest.fixture
def persian_member(app):
    from feedback.extensions import db
    from feedback.services import accounts
    from feedback.services.insights import groups

    with app.app_context():
        user = accounts.create_user("ava@example.com", "analyst", "correct horse battery")
        user.locale = "fa"
        db.session.commit()
        groups.ensure_defaults()
        yield groups.by_slug("quality"), user


def test_a_persian_digest_reads_right_to_left_with_shaped_labels(app, persian_member):
    from feedback.services.insights import digest_charts, digests

    group, user = persian_member
    period = digests.period_of("weekly", datetime(2026, 11, 30, 9, tzinfo=UTC), ZoneInfo("UTC"))
    with app.test_request_context("/"):
        message = digests.build(group, user, "weekly", period)
    html = message.get_body(preferencelist=("related",)).get_body(preferencelist=("html",)).get_content()
    assert '<html lang="fa" dir="rtl">' in html
    assert "۱۴۰۵" in html and "2026-11" not in html  # Jalali dates in Persian digits
    images = [
        p
        for p in message.get_body(preferencelist=("related",)).iter_parts()
        if p.get_content_maintype() == "image"
    ]
    assert len(images) == 2 and all(p.get_content().startswith(b"\x89PNG") for p in images)

    facts = {"themes": [{"code": "packaging", "now": 12, "before": 3}], "metrics": {}}
    with app.test_request_context("/"), force_locale("fa"):
        fig = digest_charts.themes_figure(facts)
        fig.canvas.draw()
    ax = fig.axes[0]
    title = ax.get_title(loc="right")
    assert title == "شکایت‌ها دربارهٔ موضوع‌های شما"  # from the fa catalog
    assert ax.xaxis_inverted() and ax.yaxis.get_ticks_position() == "right"
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(set(t) <= set(PERSIAN + "\u2212٬") for t in ticks)
    # The title as drawn is narrower than its letters drawn apart: matplotlib joined them.
    renderer = fig.canvas.get_renderer()
    drawn = ax.title if ax.title.get_text() else ax._right_title
    width = drawn.get_window_extent(renderer).width
    drawn.set_text("\u200c".join(title.replace("\u200c", "")))
    assert width < drawn.get_window_extent(renderer).width
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_the_staff_style_sheet_mirrors_by_logical_properties_only():
    from pathlib import Path

    import feedback

    css = (Path(feedback.__file__).parent / "static" / "staff.css").read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|float\s*:\s*(?:left|right)"
        r"|text-align\s*:\s*(?:left|right)",
        css,
    )
    assert physical == [], "use inline-start/inline-end so right-to-left pages mirror"


def test_theme_names_and_tag_words_in_the_readers_language(plain_app):
    source = (
        "{{ 'delivery'|theme }} / {{ 'complaint'|word }} / {{ 'rule'|word }} / {{ 'our_own_theme'|theme }}"
    )
    assert _render(plain_app, source, "fa") == "تحویل / شکایت / قاعده / our own theme"
    assert _render(plain_app, source, "ru") == "доставка / жалоба / правило / our own theme"
    assert _render(plain_app, source, "en") == "delivery / complaint / rule / our own theme"
