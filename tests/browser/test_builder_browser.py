"""A designer builds a survey, sees live wording checks, previews it in Persian and publishes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import artifact, sign_in

pytestmark = pytest.mark.browser


def test_designer_builds_previews_in_persian_and_publishes(app, auth, live_server, page, request):
    email = auth.create("designer")
    sign_in(page, live_server, email)
    page.get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("Name").fill("Store visit")
    page.get_by_label("Key").fill("store-visit")
    page.get_by_label("فارسی (Persian)").check()
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("heading", name="Store visit")).to_be_visible()

    page.get_by_label("Question type").select_option("nps")
    page.get_by_role("button", name="Add question").click()
    english = page.get_by_label("Question (en)")
    english.fill("How likely are you to recommend our amazing shop to a friend?")
    expect(page.locator("#f-en--text")).to_contain_text("praises what you are asking about")
    english.fill("How likely are you to recommend our shop to a friend?")
    expect(page.locator("#f-en--text")).not_to_contain_text("praises")
    persian = page.get_by_label("Question (fa)")
    expect(persian).to_have_attribute("dir", "rtl")
    persian.fill("چقدر احتمال دارد فروشگاه ما را به یک دوست توصیه کنید؟")
    page.get_by_label("Lowest point (en)").fill("Not at all likely")
    page.get_by_label("Highest point (en)").fill("Extremely likely")
    page.get_by_label("Lowest point (fa)").fill("اصلاً محتمل نیست")
    page.get_by_label("Highest point (fa)").fill("بسیار محتمل")
    page.get_by_role("button", name="Save and return").click()

    page.get_by_role("link", name="fa", exact=True).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.get_by_role("radiogroup", name=re.compile("چقدر احتمال دارد"))).to_be_visible()
    page.get_by_role("radio", name="9", exact=True).check()
    page.screenshot(path=artifact(f"builder-preview-fa-{request.node.callspec.id}.png"), full_page=True)
    page.get_by_role("button", name="ارسال").click()  # "Submit" in Persian; the preview stores nothing
    expect(page.get_by_text("The preview reached the end")).to_be_visible()

    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", name="Version v1 is published")).to_be_visible()
    with app.app_context():
        from feedback.services import audit

        assert [e.action for e in audit.recent(action="survey_published")] == ["survey_published"]


def test_wording_typed_before_the_script_loads_is_still_checked(app, auth, live_server, page):
    """A slow network delivers builder.js after the designer has typed: the text is checked on load."""
    email = auth.create("designer")
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/staff/surveys/new")
    page.get_by_label("Name").fill("Late script")
    page.get_by_label("Key").fill("late-script")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_label("Question type").select_option("nps")
    held = []
    page.route("**/static/builder.js", lambda route: held.append(route))
    page.get_by_role("button", name="Add question").click()
    page.get_by_label("Question (en)").fill("How likely are you to recommend our amazing shop to a friend?")
    assert held, "the page should have asked for builder.js"
    held[0].continue_()
    expect(page.locator("#f-en--text")).to_contain_text("praises what you are asking about")
