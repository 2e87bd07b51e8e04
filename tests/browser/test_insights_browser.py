"""The voice of the customer in a real browser: a quality analyst reads their dashboard and a
routed comment without the customer's contact details; a designer's correction reaches the
Theme quality page."""

from __future__ import annotations

import calendar
import re

import pytest
from sqlalchemy import select

from feedback.services.demo.company import DEMO_PASSWORD
from tests.browser.conftest import artifact, sign_in

pytestmark = pytest.mark.browser

QUALITY_THEMES = {"product_defect", "packaging"}


def _routed_comment(app):
    """A demo comment routed to quality, with its month, tier and customer's e-mail."""
    from feedback.extensions import db
    from feedback.models import Comment, CommentTheme, Customer

    with app.app_context():
        row = db.session.execute(
            select(Comment, Customer.email)
            .join(CommentTheme, CommentTheme.comment_id == Comment.id)
            .join(Customer, Customer.id == Comment.customer_id)
            .where(CommentTheme.code.in_(QUALITY_THEMES), Comment.tier.is_not(None))
            .order_by(Comment.submitted_at.desc(), Comment.id.desc())
            .limit(1)
        ).first()
        assert row is not None, "the demo has comments routed to quality"
        comment, email = row
        return comment.id, comment.submitted_at, comment.tier, comment.survey_id, email


def test_quality_analyst_reads_their_dashboard_and_a_comment(app, runner, live_server, browser):
    assert runner.invoke(args=["demo", "--responses", "1500"]).exit_code == 0
    _, when, tier, survey_id, email = _routed_comment(app)
    month = when.strftime("%Y-%m")
    last_day = calendar.monthrange(when.year, when.month)[1]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, live_server, "quality@candor.example", DEMO_PASSWORD)
        page.goto(f"{live_server}/staff/groups/quality?survey={survey_id}")
        page.wait_for_selector(".js-plotly-plot .main-svg")
        assert page.locator(".js-plotly-plot").count() >= 2, "the dashboard's charts are drawn"
        page.screenshot(path=artifact("quality-dashboard.png"), full_page=True)

        page.fill("#from", f"{month}-01")
        page.fill("#to", f"{month}-{last_day:02d}")
        page.fill("#f-tier", tier)
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(re.compile(r".*tier=.*"))
        assert f"tier={tier}" in page.url and f"from={month}-01" in page.url
        assert f"tier {tier}" in page.locator(".page-head").inner_text()
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.screenshot(path=artifact("quality-dashboard-filtered.png"), full_page=True)

        links = page.locator("ol.comments a")
        assert links.count() >= 1, "the filtered month has comments routed to quality"
        links.first.click()
        page.wait_for_url(re.compile(r".*/staff/comments/\d+$"))
        shown = page.locator("main").inner_text().lower()
        assert {"product defect", "packaging"} & set(re.findall(r"product defect|packaging", shown))
        opened = int(page.url.rsplit("/", 1)[1])
        with app.app_context():
            from feedback.extensions import db
            from feedback.models import Comment, Customer

            opened_email = db.session.scalar(
                select(Customer.email)
                .join(Comment, Comment.customer_id == Customer.id)
                .where(Comment.id == opened)
            )
        content = page.content().lower()
        for address in {email, opened_email} - {None}:
            assert address.lower() not in content, "an analyst never sees the customer's e-mail"
        assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", page.locator("main").inner_text())
        page.screenshot(path=artifact("quality-comment.png"), full_page=True)
    finally:
        context.close()
    assert errors == []


def test_a_designers_correction_shows_on_theme_quality(app, runner, live_server, browser):
    assert runner.invoke(args=["demo", "--responses", "400"]).exit_code == 0
    comment_id, *_ = _routed_comment(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, live_server, "designer@candor.example", DEMO_PASSWORD)
        page.goto(f"{live_server}/staff/themes")
        assert page.get_by_test_id("theme-quality").count() == 0, "no corrections yet"

        page.goto(f"{live_server}/staff/comments/{comment_id}")
        boxes = page.locator("input[name=theme]")
        checked = [b.get_attribute("value") for b in boxes.all() if b.is_checked()]
        assert set(checked) & QUALITY_THEMES
        # The designer says the comment is about billing and not what the tagger found.
        for code in checked:
            page.check(f"input[name=theme][value={code}]")
            page.uncheck(f"input[name=theme][value={code}]")
        page.check("input[name=theme][value=billing]")
        page.get_by_role("button", name="Save the themes").click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=artifact("designer-correction.png"), full_page=True)

        page.goto(f"{live_server}/staff/themes")
        table = page.get_by_test_id("theme-quality")
        assert table.count() == 1
        rows = {
            r.locator("th").inner_text(): [c.inner_text() for c in r.locator("td").all()]
            for r in table.locator("tbody tr").all()
        }
        # billing: staff say 1, the tagger found none of it -> recall 0%.
        assert rows["billing"][1] == "0%" and rows["billing"][3] == "1"
        # what the tagger gave was not kept -> precision 0%.
        wrong = next(iter(set(checked) & QUALITY_THEMES)).replace("_", " ")
        assert rows[wrong][0] == "0%"
        page.screenshot(path=artifact("theme-quality.png"), full_page=True)
    finally:
        context.close()
