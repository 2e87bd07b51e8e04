"""The dashboard: NPS with interval and n, warnings first, segments, planner."""

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


def test_dashboard_shows_nps_interval_n_and_warnings(app, client, auth, runner):
    assert runner.invoke(args=["demo", "--responses", "600"]).exit_code == 0
    auth.as_role("analyst")
    page = client.get("/staff/?by=channel")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    scores = _raw_scores(app)
    expected = 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
    shown = re.search(r'data-testid="nps-value">([+-]?\d+)<', html).group(1)
    assert int(shown) == round(expected)
    assert f"n = {len(scores):,}" in html
    assert "Before you read the figures" in html
    assert "Rocks 2016" in html
    figure = json.loads(
        re.search(r'<script type="application/json" id="trend-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert figure["data"][0]["error_y"]["symmetric"] is False
    script = client.get("/staff/assets/plotly.min.js")
    assert script.status_code == 200
    script.close()


def test_bad_dates_are_a_clear_error(client, auth, runner):
    runner.invoke(args=["demo", "--responses", "150"])
    auth.as_role("analyst")
    response = client.get("/staff/?from=yesterday")
    assert response.status_code == 422
    assert "use a date like" in response.get_data(as_text=True)


def test_dashboard_without_surveys(client, auth):
    auth.as_role("analyst")
    assert "No surveys yet" in client.get("/staff/").get_data(as_text=True)


def test_survey_name_cannot_break_out_of_the_figure_script(app, client, auth, runner):
    runner.invoke(args=["demo", "--responses", "150"])
    with app.app_context():
        from feedback.extensions import db
        from feedback.services.design import catalog

        survey = catalog.find_survey("transactional-nps")
        survey.name = "</script><script>alert(1)</script>"
        db.session.commit()
    auth.as_role("analyst")
    html = client.get("/staff/").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    csrf_from(html)


def test_planner_answers_the_two_questions(client, auth):
    auth.as_role("analyst")
    page = client.get(
        "/staff/planner?metric=proportion&margin=5&confidence=0.95&population=500000&response_rate=25"
    )
    html = page.get_data(as_text=True)
    assert re.search(r'data-testid="responses">384 answers', html)
    assert re.search(r'data-testid="invitations">1,536 invitations', html)
    bad = client.get("/staff/planner?metric=nps&margin=0&confidence=0.95&response_rate=25")
    assert bad.status_code == 422
    mix = client.get(
        "/staff/planner?metric=nps&margin=5&confidence=0.95&promoters=70&detractors=40&response_rate=20"
    )
    assert mix.status_code == 422
