"""The back office in Persian, Arabic and Russian, in a real browser: a Persian-speaking
analyst switches the header to فارسی and reads a right-to-left dashboard with Persian digits
and Jalali months on the trend chart, opens a comment and downloads a report; axe-core finds
no serious or critical violation on any staff page in fa and in ar."""

from __future__ import annotations

import csv
import io
import json
import re

import jdatetime
import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from feedback.services.demo.company import DEMO_PASSWORD
from tests.browser.conftest import artifact, sign_in

pytestmark = pytest.mark.browser

AXE = Axe()
# WCAG A and AA rules only, and only violations back: thirty pages stay within seconds.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PERSIAN_FIGURE = re.compile(r"[+\u2212]?[۰-۹][۰-۹٬٫]*٪?")
JALALI_MONTH = re.compile("(" + "|".join(jdatetime.date.j_months_fa) + r") [۰-۹]{4}")


def _ids(app) -> dict:
    from feedback.extensions import db
    from feedback.models import Case, Comment
    from feedback.services import accounts
    from feedback.services.design import catalog

    with app.app_context():
        from feedback.services.insights import case_opening

        accounts.create_user("parisa@example.com", "analyst", DEMO_PASSWORD)
        case_opening.open_pending()
        db.session.commit()
        return {
            "survey": catalog.latest_answered(),
            "comment": db.session.scalar(select(Comment.id).order_by(Comment.id.desc()).limit(1)),
            "case": db.session.scalar(select(Case.id).order_by(Case.id).limit(1)),
        }


def _translated(app, locale: str, msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"), force_locale(locale):
        return gettext(msgid)


def _set_locale(app, email: str, locale: str) -> None:
    from feedback.extensions import db
    from feedback.models import StaffUser

    with app.app_context():
        db.session.scalar(select(StaffUser).where(StaffUser.email == email)).locale = locale
        db.session.commit()


def _axe(page, name: str) -> list[dict]:
    # axe-core is already in the page (an init script of the context), not sent again per page.
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    if serious:
        artifact(f"axe-staff-{name}.json").write_text(json.dumps(serious, indent=2, ensure_ascii=False))
    return [{"page": name, "id": v["id"], "help": v["help"]} for v in serious]


def test_the_back_office_in_persian_arabic_and_russian(app, runner, live_server, browser):
    # One demo and one browser for both parts: the whole file stays well under a minute.
    assert runner.invoke(args=["demo", "--responses", "300"]).exit_code == 0
    ids = _ids(app)
    _analyst_reads_right_to_left(app, live_server, browser, ids)
    _every_page_passes_axe(app, live_server, browser, ids)


def _analyst_reads_right_to_left(app, live_server, browser, ids) -> None:
    assert ids["survey"] and ids["comment"] and ids["case"], "the demo has answers, comments and cases"
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, live_server, "parisa@example.com", DEMO_PASSWORD)
        assert page.locator("html").get_attribute("dir") == "ltr"
        page.select_option("#ui-language", "fa")
        page.locator("form.language button").click()
        page.wait_for_selector("html[dir=rtl]")
        assert page.locator("html").get_attribute("lang") == "fa"
        page.wait_for_selector("#trend .main-svg .xtick text")

        nps = page.get_by_test_id("nps-value").inner_text()
        assert PERSIAN_FIGURE.fullmatch(nps), nps
        assert page.get_by_test_id("nps-value").get_attribute("dir") == "ltr"  # isolated from the RTL text
        ticks = page.locator("#trend .xtick text").all_text_contents()
        assert ticks and all(JALALI_MONTH.fullmatch(t) for t in ticks), ticks
        # The title is a right-to-left isolate (RLI ... PDI) inside Plotly's SVG.
        title = page.locator("#trend .gtitle").text_content().strip("\u2067\u2069")
        assert (
            title
            == _translated(app, "fa", "NPS by month, with intervals at 95%")
            != ("NPS by month, with intervals at 95%")
        )
        # Time runs from right to left: the first month is drawn to the right of the last.
        first, last = (page.locator("#trend .xtick text").nth(i).bounding_box()["x"] for i in (0, -1))
        assert first > last
        page.screenshot(path=artifact("staff-analyst-dashboard-fa.png"), full_page=True)

        page.goto(f"{live_server}/staff/comments/{ids['comment']}")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.get_by_role("heading", level=1).count() == 1

        page.goto(f"{live_server}/staff/surveys/{ids['survey']}")
        with page.expect_download() as waiting:
            page.locator("a[href$='/export/results.csv']").first.click()
        download = waiting.value
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), encoding="utf-8-sig") as sheet:
            rows = list(csv.reader(io.StringIO(sheet.read())))
        assert rows[0][0] == _translated(app, "fa", "section")
        months = [r[3] for r in rows[1:] if r[0] == "month"]
        assert months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months)  # ISO in the cells
    finally:
        context.close()
    assert errors == []


PAGES = (
    ("dashboard", "/staff/"),
    ("surveys", "/staff/surveys"),
    ("survey", "/staff/surveys/{survey}"),
    ("comments", "/staff/comments"),
    ("comment", "/staff/comments/{comment}"),
    ("groups", "/staff/groups"),
    ("group", "/staff/groups/quality"),
    ("cases", "/staff/cases"),
    ("case", "/staff/cases/{case}"),
    ("alerts", "/staff/alerts"),
    ("themes", "/staff/themes"),
    ("dispatch", "/staff/dispatch"),
    ("imports", "/staff/imports"),
    ("users", "/staff/users"),
    ("account", "/staff/account"),
)


def _every_page_passes_axe(app, live_server, browser, ids) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.add_init_script(script=AXE.axe_script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    violations: list[dict] = []
    try:
        sign_in(page, live_server, "admin@candor.example", DEMO_PASSWORD)
        for locale in ("fa", "ar"):
            _set_locale(app, "admin@candor.example", locale)
            for name, path in PAGES:
                page.goto(live_server + path.format(**ids))
                assert page.locator("html").get_attribute("dir") == "rtl", (locale, name)
                if name == "dashboard":
                    page.wait_for_selector("#trend .main-svg")
                    page.screenshot(path=artifact(f"staff-dashboard-{locale}.png"), full_page=True)
                violations += _axe(page, f"{locale}-{name}")
        _set_locale(app, "admin@candor.example", "ru")
        page.goto(f"{live_server}/staff/")
        assert page.locator("html").get_attribute("dir") == "ltr"
        page.wait_for_selector("#trend .main-svg")
        page.screenshot(path=artifact("staff-dashboard-ru.png"), full_page=True)
    finally:
        context.close()
    artifact("axe-staff-i18n.json").write_text(json.dumps(violations, indent=2, ensure_ascii=False))
    assert violations == [], violations
    assert errors == []
