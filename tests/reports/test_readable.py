"""Reports a manager can read: a plain sentence first, the method one click deeper, charts in order."""

from __future__ import annotations

import json
import re

import pytest

from analysis import figures
from analysis.estimates import Estimate
from tests.demo.test_demo_dates import assert_planted_findings

NOW = "2026-12-01T09:00:00+00:00"


@pytest.fixture(scope="module")
def demo_app(sqlite_template, tmp_path_factory):
    """One demo for the module, on SQLite: these tests read reports, and the SQL under them is
    tested on both databases elsewhere."""
    import shutil

    from tests.conftest import make_app

    path = tmp_path_factory.mktemp("readable") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    result = app.test_cli_runner().invoke(args=["demo", "--now", NOW])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        from feedback.extensions import db

        db.engine.dispose()


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def auth(demo_app, client):
    from tests.conftest import Auth

    return Auth(demo_app, client)


@pytest.fixture
def runner(demo_app):
    return demo_app.test_cli_runner()


def _figure(html: str, name: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{name}-data"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_thin_months_stay_in_time_order_on_the_trend_chart():
    periods = ["2026-01", "2026-02", "2026-03", "2026-04"]
    e = Estimate("nps", 10.0, 0.0, 20.0, 100, 0.95, "test")
    fig = figures.nps_trend(periods, [e, None, e, None]).to_plotly_json()
    assert list(fig["layout"]["xaxis"]["categoryarray"]) == periods
    thin = next(t for t in fig["data"] if t["name"] == "too few answers")
    assert list(thin["x"]) == ["2026-02", "2026-04"]


@pytest.mark.parametrize(
    ("difference", "significant", "colour"),
    [
        (-28.5, True, figures.WORSE),
        (12.0, True, figures.BETTER),
        (-28.5, False, figures.NEUTRAL),
        (3, False, figures.NEUTRAL),
    ],
)
def test_differences_are_coloured_by_direction(difference, significant, colour):
    assert figures.direction_colour(difference, significant) == colour


def test_the_dashboard_leads_with_plain_sentences_and_keeps_the_method_deeper(demo_app, client, auth):
    auth.as_role("analyst")
    html = client.get("/staff/?by=region").get_data(as_text=True)
    headline = re.search(r'data-testid="nps-headline">([^<]+)<', html).group(1)
    assert re.fullmatch(r"NPS is [+−]\d+ \(between [+−]\d+ and [+−]\d+\), from 3,000 answers\.", headline)
    # The method sits inside a disclosure, never before the sentence.
    card = html[html.index('data-testid="nps-headline"') :]
    assert card.index("How this was computed") < card.index("adjusted Wald")
    assert html.count('<details class="how">') >= 4
    # A significant fall is red, a difference within noise grey, and none is green by default.
    changes = html[html.index('id="changes-h"') : html.index("</section>", html.index('id="changes-h"'))]
    assert re.search(r'<li class="worse">NPS fell [\d.]+ points from 2025-11\.\.2026-05', changes)
    assert '<li class="neutral">NPS moved' in changes
    segment_colours = _figure(html, "segments")["data"][0]["marker"]["color"]
    assert figures.WORSE in segment_colours and figures.BETTER in segment_colours
    # The planted regional incident is findable without knowing its dates.
    months = html[html.index('id="segment-months"') :]
    assert "South in 2026-08: NPS" in months and "flag-below" in months and "▼" in months
    # Two checks that seem to disagree are reconciled in one sentence.
    assert "Why both are true" in html


def test_the_control_chart_leaves_out_thin_months(demo_app):
    from feedback.services.design import catalog
    from feedback.services.reports import results

    with demo_app.app_context():
        data = results.build(catalog.find_survey("transactional-nps"))
    control = data["control"]["nps"]
    assert control["points"] and all(p["n"] >= data["min_n"] for p in control["points"])
    thin = [p for p in data["periods"] if p["metrics"]["nps"].get("suppressed")]
    assert control["left_out"] == len(thin) >= 1
    assert all(a["n"] >= data["min_n"] for a in data["alerts"])


def test_the_simpson_warning_says_each_thing_once(demo_app):
    from feedback.services.design import catalog
    from feedback.services.reports import results

    with demo_app.app_context():
        data = results.build(catalog.find_survey("transactional-nps"), by="channel")
        assert_planted_findings(demo_app, __import__("datetime").datetime.fromisoformat(NOW))
    (warning,) = [w for w in data["warnings"] if w["code"] == "simpson_reversal"]
    message = warning["message"]
    assert message.count("held fixed") == 1 and message.count("moved") == 2
    assert "not their experience" not in message  # no causal claim
    assert re.search(r"Each channel on its own: (\w+ [+-]\d+\.\d, ){2}\w+ [+-]\d+\.\d\.", message)


def test_the_dashboard_opens_on_the_survey_with_the_latest_answers(demo_app, client, auth):
    from dataclasses import replace

    from surveys.templates import delivery_csat

    with demo_app.app_context():
        from feedback.services.design import designing

        # Published, sending, first by name, and without a single answer.
        spec = replace(delivery_csat(), key="aaa-newest", name="Aaa newest")
        designing.create_published(spec, activate=True)
    auth.login(auth.create("analyst", "analyst-latest@example.com"))
    html = client.get("/staff/").get_data(as_text=True)
    selected = re.search(r'<option value="(\d+)" selected>([^<]+)<', html)
    assert selected.group(2) == "Transactional NPS after purchase"


def test_report_echoes_the_inclusive_dates_given(demo_app, runner):
    out = runner.invoke(args=["report", "transactional-nps", "--from", "2026-06-01", "--to", "2026-09-15"])
    assert out.exit_code == 0, out.output
    assert "2026-06-01 to 2026-09-15" in out.output
    data = json.loads(
        runner.invoke(args=["report", "transactional-nps", "--to", "2026-09-15", "--format", "json"]).output
    )
    assert data["to"] == "2026-09-15"
    bad = runner.invoke(args=["report", "transactional-nps", "--from", "0001-01-01T00:00:00+14:00"])
    assert bad.exit_code == 2 and "use a date like" in bad.output
    far = runner.invoke(args=["report", "transactional-nps", "--to", "9999-12-31"])
    assert far.exit_code == 2 and "9999" in far.output
