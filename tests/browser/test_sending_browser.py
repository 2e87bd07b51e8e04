"""A designer makes a survey from a template, sets its dispatch rule, publishes it and starts
sending; a purchase through the API is then invited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import artifact, sign_in
from tests.purchases import purchase

pytestmark = pytest.mark.browser


def test_a_survey_made_in_the_browser_sends_after_a_purchase(app, auth, api, live_server, page, request):
    email = auth.create("designer")
    sign_in(page, live_server, email)
    page.get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("Start from").select_option("delivery-csat")
    page.get_by_label("Name").fill("After delivery")
    page.get_by_label("Key").fill("after-delivery")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("heading", name="After delivery")).to_be_visible()
    expect(page.locator("#sending")).to_contain_text("Publish the survey first")

    page.get_by_text("Edit the dispatch rule").click()
    page.get_by_label("Send after").select_option("purchase")
    page.get_by_label("Wait", exact=True).fill("2")
    page.get_by_label("Unit", exact=True).select_option("days")
    page.get_by_label("Channel", exact=True).select_option("email,sms")
    page.get_by_label("At most one survey per customer every (days)").fill("30")
    page.get_by_label("One reminder after (days; empty for none)").fill("20")  # after expiry: refused
    page.get_by_role("button", name="Save the rule").click()
    expect(page.locator(".rule-editor")).to_contain_text("before the survey expires")
    page.get_by_label("One reminder after (days; empty for none)").fill("3")
    page.locator("#sending").screenshot(path=artifact(f"rule-editor-{request.node.callspec.id}.png"))
    page.get_by_role("button", name="Save the rule").click()
    sentence = "2 days after purchase, by e-mail, then SMS; at most one survey per customer every 30 days."
    expect(page.locator(".rule-sentence")).to_have_text(sentence)

    expect(page.get_by_label("Start sending", exact=False)).to_be_checked()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator("#sending")).to_contain_text("Sending.")
    expect(page.get_by_role("button", name="Stop sending")).to_be_visible()
    page.screenshot(path=artifact(f"survey-sending-{request.node.callspec.id}.png"), full_page=True)

    reply = api.post("/purchases", purchase("o-browser", "c-browser"))
    assert reply.status_code == 201, reply.get_json()
    (invitation,) = [i for i in reply.get_json()["invitations"] if i["survey"] == "after-delivery"]
    assert invitation["status"] == "scheduled" and invitation["channel"] == "email"
