"""Staff pages fit a phone: nothing scrolls sideways on a 390-pixel screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import artifact, sign_in

pytestmark = pytest.mark.browser

PAGES = [
    "/staff/",
    "/staff/?by=region",
    "/staff/surveys",
    "/staff/surveys/1",
    "/staff/dispatch",
    "/staff/imports",
    "/staff/planner",
    "/staff/users",
    "/staff/account",
]


def test_no_staff_page_scrolls_sideways_on_a_phone(app, auth, runner, live_server, browser, request):
    assert runner.invoke(args=["demo", "--responses", "400"]).exit_code == 0
    email = auth.create("admin")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        wide = {}
        for path in PAGES:
            page.goto(live_server + path)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
        page.goto(live_server + "/staff/?by=region")
        page.screenshot(path=artifact(f"dashboard-phone-{request.node.callspec.id}.png"), full_page=True)
    finally:
        context.close()
    assert wide == {}
