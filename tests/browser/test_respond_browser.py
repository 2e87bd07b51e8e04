"""Customers answer through their personal link, in English and in Persian, in a real browser.

Only roles and accessible names are used, as a screen reader would. axe-core checks every
respondent page for serious or critical accessibility violations.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from surveys.templates import transactional_nps
from surveys.templates.common import REASON_PROMOTER
from tests.browser.conftest import artifact
from tests.respond.helpers import answers, invite, one_page_survey, publish, responses

pytestmark = pytest.mark.browser

LABELS = {
    "en": {"next": "Next", "submit": "Submit", "thanks": "Thank you", "stop": "Do not send me more surveys"},
    "fa": {"next": "بعدی", "submit": "ارسال", "thanks": "سپاسگزاریم", "stop": "دیگر برایم نظرسنجی نفرستید"},
}
AXE = Axe()


def assert_accessible(page, name: str) -> None:
    results = AXE.run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    if serious:
        artifact(f"axe-{name}.json").write_text(json.dumps(serious, indent=2, ensure_ascii=False))
    assert serious == [], f"{name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in serious)


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_customer_answers_nps_and_reason_through_a_personal_link(
    app, live_server, browser, locale, request
):
    survey_id = publish(app, transactional_nps(("en", "fa")))
    token = invite(app, survey_id, locale=locale)
    words = LABELS[locale]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/s/{token}")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale == "fa" else "ltr")
        assert_accessible(page, f"{locale}-page-1")

        page.get_by_role("button", name=words["next"]).click()  # nothing chosen: the error is linked
        error = page.locator("#nps-error")
        expect(error).to_be_visible()
        expect(page.get_by_role("radiogroup")).to_have_attribute("aria-invalid", "true")
        assert_accessible(page, f"{locale}-page-1-error")

        nine = page.get_by_role("radio", name="9", exact=True)
        nine.check()
        expect(nine).to_be_checked()
        if locale == "fa":
            # The scale runs in the reading direction: 0 at the right, 10 at the left.
            zero = page.get_by_role("radio", name="0", exact=True).locator("..").bounding_box()
            ten = page.get_by_role("radio", name="10", exact=True).locator("..").bounding_box()
            assert zero["x"] > ten["x"]
            page.screenshot(
                path=str(artifact(f"respond-fa-page-1-{request.node.callspec.id}.png")), full_page=True
            )
        page.get_by_role("button", name=words["next"]).click()

        reason = page.get_by_role("textbox", name=REASON_PROMOTER.get(locale))
        expect(reason).to_be_visible()
        assert_accessible(page, f"{locale}-page-2")
        reason.fill("Fast delivery" if locale == "en" else "ارسال سریع")
        if locale == "fa":
            page.screenshot(
                path=str(artifact(f"respond-fa-page-2-{request.node.callspec.id}.png")), full_page=True
            )
        page.get_by_role("button", name=words["submit"]).click()

        expect(page.get_by_role("heading", name=words["thanks"])).to_be_visible()
        assert_accessible(page, f"{locale}-thanks")
        if locale == "fa":
            page.screenshot(
                path=str(artifact(f"respond-fa-thanks-{request.node.callspec.id}.png")), full_page=True
            )

        [response] = responses(app)
        assert response.status == "complete" and response.locale == locale
        assert answers(app, response.id) == {
            "nps": 9.0,
            "reason": "Fast delivery" if locale == "en" else "ارسال سریع",
        }

        page.goto(f"{live_server}/s/{token}")  # the link again: already answered, no answers shown
        expect(page.get_by_role("radio")).to_have_count(0)
        assert_accessible(page, f"{locale}-already-answered")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_every_other_respondent_page_is_accessible(app, live_server, browser, locale):
    survey_id = publish(app, one_page_survey("receipt"), open_link=True, review_url="https://example.com/r")
    token = invite(app, survey_id, locale=locale)
    context = browser.new_context(locale=locale)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/s/{token}?score=10")
        expect(page.get_by_role("radio", name="10", exact=True)).to_be_checked()
        page.get_by_role("button", name=LABELS[locale]["submit"]).click()
        expect(page.locator('a[href="https://example.com/r"]')).to_have_count(1)
        assert_accessible(page, f"{locale}-thanks-review")
        page.get_by_role("button", name=LABELS[locale]["stop"]).click()
        assert_accessible(page, f"{locale}-opted-out")
        with app.app_context():
            from feedback.extensions import db
            from feedback.models import Customer

            assert db.session.scalar(select(Customer)).opted_out_at is not None
        for path in (f"/u/{token}", "/s/AAAAAAAAAAAAAAAAAAAAAA", "/privacy", f"/o/receipt?lang={locale}"):
            page.goto(f"{live_server}{path}")
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale == "fa" else "ltr")
            assert_accessible(page, f"{locale}-{path.strip('/').split('/')[0]}")
    finally:
        context.close()
