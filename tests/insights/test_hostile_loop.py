"""What an attacker or a careless integration sent the closing loop, the alerts and the
dashboards, answered without a 500, a leak or a stored mess."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import Auth, csrf_from
from tests.insights.helpers import Said, seed
from tests.insights.test_cases import SAID, _open

QUOTE = "she said call me at jane.doe@mail.example or +49 170 1234567"


def _contact_case(app) -> int:
    seed(app, SAID)
    _open(app)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case

        return db.session.scalars(select(Case).where(Case.reason == "contact_request")).one().id


def test_contacts_quoted_in_a_note_reach_only_those_who_may_see_contacts(app, client, auth):
    case_id = _contact_case(app)
    auth.as_role("agent")
    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    token = csrf_from(page)
    assert (
        client.post(f"/staff/cases/{case_id}", data={"csrf_token": token, "note": QUOTE}).status_code == 303
    )
    assert "jane.doe@mail.example" in client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    refused = client.post(f"/staff/cases/{case_id}", data={"csrf_token": token, "note": "a\x00b\x07c"})
    assert refused.status_code in (303, 422)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import CaseEvent

        notes = db.session.scalars(select(CaseEvent.text).where(CaseEvent.kind == "note")).all()
        assert notes == [QUOTE]  # the note with control characters was not stored
        from feedback.services import accounts

        headers = {"Authorization": f"Bearer {accounts.create_api_key('hostile')[1]}"}
    analyst = app.test_client()
    Auth(app, analyst).as_role("analyst")
    seen = analyst.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert "she said call me at" in seen and "jane.doe@mail.example" not in seen and "1234567" not in seen
    api = client.get(f"/api/v1/cases/{case_id}", headers=headers).get_data(as_text=True)
    assert "she said call me at" in api and "jane.doe@mail.example" not in api and "1234567" not in api


def test_query_strings_never_reach_url_for_and_back_never_breaks_a_header(app, client, auth):
    _contact_case(app)
    auth.as_role("agent")
    for path in (
        "/staff/alerts?alert_id=1&endpoint=x",
        "/staff/alerts?_external=1&_scheme=javascript",
        "/staff/cases?endpoint=x&case_id=3&page=1",
    ):
        reply = client.get(path)
        assert reply.status_code == 200, path
        assert "javascript:" not in reply.get_data(as_text=True)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    moved = client.post(
        "/staff/account/language",
        data={"csrf_token": token, "locale": "ru", "back": "/staff/\r\nX-Inject: 1"},
    )
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/staff/")
    assert "X-Inject" not in str(moved.headers)


def test_print_link_and_loose_dates_on_a_dashboard(app, client, auth):
    survey_id = seed(app, [Said(9, "fine")] * 5)
    auth.as_role("analyst")
    page = client.get(f"/staff/groups/service?survey={survey_id}").get_data(as_text=True)
    report = f"/staff/surveys/{survey_id}/report?group=service&survey={survey_id}"
    assert report.replace("&", "&amp;") in page
    assert client.get(report).status_code == 200
    for raw in ("20260101", "2026-W01-1", "1" * 5000):
        assert client.get(f"/staff/groups/service?survey={survey_id}&to={raw}").status_code == 422, raw
    assert client.get(f"/staff/groups/service?survey={survey_id}&to=2026-01-01").status_code == 200


def test_a_patch_with_a_field_it_does_not_know_is_refused(app, client):
    case_id = _contact_case(app)
    with app.app_context():
        from feedback.services import accounts

        headers = {"Authorization": f"Bearer {accounts.create_api_key('strict')[1]}"}
    refused = client.patch(f"/api/v1/cases/{case_id}", json={"customer_says": "yes"}, headers=headers)
    assert refused.status_code == 422 and "customer_says" in refused.get_data(as_text=True)
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).get_json()["customer_says"] is None
    fine = client.patch(f"/api/v1/cases/{case_id}", json={"status": "in_progress"}, headers=headers)
    assert fine.status_code == 200 and fine.get_json()["status"] == "in_progress"
    assert (
        client.patch("/api/v1/alerts/1", json={"status": "open", "x": 1}, headers=headers).status_code == 422
    )
