"""A case in a real browser: a customer scores 2 because their kettle broke; a case opens,
routed to quality; an agent sees the e-mail, adds a note and closes it as resolved; an analyst
opens the same case and sees no contact details."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveys.templates import transactional_nps
from tests.browser.conftest import artifact, sign_in
from tests.respond.helpers import invite, publish

pytestmark = pytest.mark.browser


def test_an_unhappy_customer_gets_a_case_worked_by_an_agent(app, auth, runner, live_server, browser):
    survey_id = publish(app, transactional_nps(("en",)))
    token = invite(app, survey_id, customer="kettle-owner")
    agent, analyst = auth.create("agent"), auth.create("analyst")
    customer = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-US")
    page = customer.new_page()
    try:
        page.goto(f"{live_server}/s/{token}")
        page.get_by_role("radio", name="2", exact=True).check()
        page.get_by_role("button", name="Next").click()
        page.get_by_role("textbox").fill("My kettle broke after two days.")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    finally:
        customer.close()

    ran = runner.invoke(args=["worker", "--once"])
    assert ran.exit_code == 0 and "1 case opened" in ran.output, ran.output
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, StakeholderGroup

        case, group = db.session.execute(select(Case, StakeholderGroup.slug).join(StakeholderGroup)).one()
        assert group == "quality" and case.reason == "detractor"
        case_id = case.id

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = staff.new_page()
    try:
        sign_in(page, live_server, agent)
        page.goto(f"{live_server}/staff/cases?group=quality")
        page.get_by_role("link", name=f"#{case_id}").click()
        page.wait_for_url(re.compile(rf".*/staff/cases/{case_id}$"))
        expect(page.get_by_test_id("customer-contact")).to_contain_text("kettle-owner@example.com")
        expect(page.get_by_role("link", name="E-mail the customer")).to_have_attribute(
            "href", re.compile(r"^mailto:kettle-owner%40example\.com\?subject=")
        )
        page.get_by_label("Status").select_option("closed")
        page.get_by_label("Outcome, when closing").select_option("resolved")
        page.get_by_label("Add a note (staff only)").fill("Called; a new kettle is on its way.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_test_id("case-status")).to_have_text("closed")
        expect(page.get_by_test_id("timeline")).to_contain_text("a new kettle is on its way")
        page.screenshot(path=artifact("case-agent.png"), full_page=True)
    finally:
        staff.close()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = staff.new_page()
    try:
        sign_in(page, live_server, analyst)
        page.goto(f"{live_server}/staff/cases/{case_id}")
        expect(page.get_by_text("Contact details are shown to agents only.")).to_be_visible()
        assert "kettle-owner@example.com" not in page.content()
        assert page.get_by_role("link", name="E-mail the customer").count() == 0
        page.screenshot(path=artifact("case-analyst.png"), full_page=True)
    finally:
        staff.close()
