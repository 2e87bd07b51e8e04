"""The walking skeleton: demo data in, NPS with interval and n on the dashboard."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from tests.conftest import csrf_from


def _raw_scores(app) -> list[int]:
    """Every NPS answer, read row by row: an independent path to the same figure."""
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Answer, Question, Response

        rows = db.session.execute(
            select(Answer.number)
            .join(Question)
            .join(Response, Answer.response_id == Response.id)
            .where(Question.role == "nps", Response.status == "complete")
        )
        return [int(x) for (x,) in rows]


def test_dashboard_shows_nps_interval_and_n(app, client, auth, runner):
    assert runner.invoke(args=["demo", "--responses", "400"]).exit_code == 0
    auth.as_role("analyst")
    page = client.get("/staff/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    scores = _raw_scores(app)
    assert len(scores) == 400
    expected = 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
    shown = re.search(r'data-testid="nps-value">([+-]?\d+)<', html).group(1)
    assert int(shown) == round(expected)
    assert "n = 400" in html
    assert re.search(r"95% CI [+-]\d+\.\d to [+-]\d+\.\d", html)
    assert "Rocks 2016" in html
    figure = json.loads(
        re.search(
            r'<script type="application/json" id="nps-trend-data"[^>]*>(.*?)</script>', html, re.S
        ).group(1)
    )
    assert figure["data"][0]["error_y"]["symmetric"] is False
    script = client.get("/staff/assets/plotly.min.js")
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    script.close()


def test_small_months_are_not_reported(app, client, auth, runner):
    runner.invoke(args=["demo", "--responses", "150"])
    auth.as_role("analyst")
    html = client.get("/staff/").get_data(as_text=True)
    assert "too few answers to report" in html


def test_dashboard_without_surveys(client, auth):
    auth.as_role("analyst")
    assert "No surveys yet" in client.get("/staff/").get_data(as_text=True)


def test_survey_name_cannot_break_out_of_the_figure_script(app, client, auth):
    with app.app_context():
        from dataclasses import replace

        from feedback.services import designing
        from surveys.templates import transactional_nps

        designing.create_published(replace(transactional_nps(), name="</script><script>alert(1)</script>"))
    auth.as_role("analyst")
    html = client.get("/staff/").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    csrf_from(html)  # the page still rendered completely
