"""Stakeholder groups: the defaults, routing edited by admins only, a dashboard per group whose
figures are the results JSON's, and a print page."""

from __future__ import annotations

import json
import re

from tests.conftest import csrf_from
from tests.insights.helpers import Said, seed

SAID = [
    Said(2, "The courier was rude and the parcel came a week late", tier="top"),
    Said(3, "the box was crushed and the lid broke", tier="regular"),
    Said(9, "great price, cheaper than anywhere", tier="top"),
    Said(1, "charged twice for one order", tier="regular"),
] * 8


def test_defaults_and_routing(app, ctx):
    from feedback.services.insights import groups

    groups.ensure_defaults()
    groups.ensure_defaults()  # twice changes nothing
    slugs = [g.slug for g in groups.all_groups()]
    assert slugs == ["product", "quality", "sales", "service", "management"]
    routes = groups.routes()
    assert sorted(routes["product_defect"]) == ["product", "quality"]
    assert routes["packaging"] == ["quality"] and routes["price"] == ["sales"]
    assert {c for c, s in routes.items() if "service" in s} == {"delivery", "staff", "billing"}
    assert groups.themes_of(groups.by_slug("management")) is None


def test_an_admin_changes_the_routing_and_an_analyst_cannot(app, client, auth):
    seed(app, SAID[:4])
    auth.as_role("admin")
    page = client.get("/staff/groups").get_data(as_text=True)
    token = csrf_from(page)
    form = {"csrf_token": token, "route-price": ["sales", "product"], "route-delivery": ["service"]}
    assert client.post("/staff/groups/routes", data=form).status_code == 303
    with app.app_context():
        from feedback.services.insights import groups

        assert sorted(groups.routes()["price"]) == ["product", "sales"]
        assert "packaging" not in groups.routes()  # unchecked everywhere: routed nowhere
    bad = client.post("/staff/groups/routes", data={"csrf_token": token, "route-price": ["nobody"]})
    assert bad.status_code == 303
    assert "unknown groups: nobody" in client.get("/staff/groups").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": token})
    auth.as_role("analyst")
    page = client.get("/staff/groups").get_data(as_text=True)
    assert "Only an administrator changes the routing." in page
    token = csrf_from(page)
    assert client.post("/staff/groups/routes", data={"csrf_token": token}).status_code == 403


def test_group_dashboard_shows_the_results_figures_and_only_its_themes(app, client, auth):
    survey_id = seed(app, SAID)
    auth.as_role("analyst")
    html = client.get(f"/staff/groups/quality?survey={survey_id}").get_data(as_text=True)
    assert "<h1>Quality (production)</h1>" in html
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Survey
        from feedback.services.reports import results

        data = results.build(db.session.get(Survey, survey_id), by="tier")
    assert data["metrics"]["nps"]["n"] == 32
    assert "from 32 answers" in html
    themes = json.loads(re.search(r'id="themes-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    names = {t["name"] for t in themes["data"]}
    assert names == {"packaging"} or names <= {"packaging", "product defect"}
    assert "billing" not in names and "price" not in names
    # A share is a percentage of the month's comments: 8 crushed boxes among 32 comments.
    packaging = next(t for t in themes["data"] if t["name"] == "packaging")
    assert packaging["y"] == [25.0]
    assert "leads the complaints: 25% of comments" in html
    assert 'id="trend-data"' in html
    # Filters in the URL narrow the figures and the comments.
    top = client.get(f"/staff/groups/service?survey={survey_id}&tier=top").get_data(as_text=True)
    assert "from 16 answers" in top
    assert "charged twice" not in top  # a regular-tier comment
    management = client.get(f"/staff/groups/management?survey={survey_id}").get_data(as_text=True)
    names = {
        t["name"]
        for t in json.loads(re.search(r'id="themes-data"[^>]*>(.*?)</script>', management, re.S).group(1))[
            "data"
        ]
    }
    assert {"delivery", "packaging", "billing"} <= names


def test_group_dashboard_answers_garbage_clearly(app, client, auth):
    survey_id = seed(app, SAID[:4])
    auth.as_role("analyst")
    assert client.get("/staff/groups/nobody").status_code == 404
    reply = client.get(f"/staff/groups/quality?survey={survey_id}&from=2026-13-01")
    assert reply.status_code == 422 and "from" in reply.get_data(as_text=True)
    reply = client.get(f"/staff/groups/quality?survey={survey_id}&tier=" + "x" * 5000)
    assert reply.status_code in (200, 422)
    reply = client.get(f"/staff/groups/quality?survey={survey_id}&by=password")
    assert reply.status_code == 422


def test_print_page_has_no_navigation(app, client, auth):
    survey_id = seed(app, SAID)
    auth.as_role("analyst")
    reply = client.get(f"/staff/surveys/{survey_id}/report?group=quality")
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert 'class="topbar"' not in html and "print-report" in html
    assert "For Quality (production)" in html and 'id="trend-data"' in html
    assert client.get(f"/staff/surveys/{survey_id}/report?group=nobody").status_code == 404
    assert client.get("/staff/surveys/999999/report").status_code == 404


def test_groups_list_cli(app, runner):
    result = runner.invoke(args=["groups", "list"])
    assert result.exit_code == 0, result.output
    assert "quality" in result.output and "hears: packaging, product_defect" in result.output
    assert "management" in result.output and "every theme" in result.output
