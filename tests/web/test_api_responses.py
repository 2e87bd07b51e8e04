"""GET /api/v1/responses: paginated export of complete responses."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from
from tests.respond.helpers import invite, publish, two_page_survey


@pytest.fixture
def key(app):
    with app.app_context():
        from feedback.services import accounts

        return accounts.create_api_key("export")[1]


def answer(app, client, token, nps, **page2):
    html = client.get(f"/s/{token}").get_data(as_text=True)
    client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), "page": "1", "nps": nps})
    html = client.get(f"/s/{token}").get_data(as_text=True)
    client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), "page": "2", **page2})


def test_export_pages_through_complete_responses_with_their_answers(app, client, key):
    survey_id = publish(app, two_page_survey())
    tokens = [invite(app, survey_id, f"c{i}") for i in range(5)]
    for i, token in enumerate(tokens[:4]):
        answer(app, client, token, str(3 + 2 * i), area="other", area__other="Gift wrap")
    html = client.get(f"/s/{tokens[4]}").get_data(as_text=True)  # the fifth stays partial
    client.post(f"/s/{tokens[4]}", data={"csrf_token": csrf_from(html), "page": "1", "nps": "8"})

    headers = {"Authorization": f"Bearer {key}"}
    seen, url = [], "/api/v1/responses?survey=two-page&limit=3"
    while url:
        body = client.get(url, headers=headers).get_json()
        seen += body["responses"]
        url = body.get("next")
    assert [r["customer"] for r in seen] == ["c0", "c1", "c2", "c3"]
    first = seen[0]
    assert first["answers"] == {"nps": 3, "area": {"value": ["other"], "other": "Gift wrap"}}
    assert first["source"] == "invitation" and first["version"] == 1
    assert first["segments"]["channel"] == "web"

    since = seen[2]["submitted_at"]
    later = client.get("/api/v1/responses", query_string={"since": since}, headers=headers).get_json()
    assert [r["id"] for r in later["responses"]] == [seen[2]["id"], seen[3]["id"]]


def test_export_refuses_garbage_with_problems(app, client, key):
    headers = {"Authorization": f"Bearer {key}"}
    for query, field in (
        ("cursor=%%%", "cursor"),
        ("limit=0", "limit"),
        ("limit=x", "limit"),
        ("since=soon", "since"),
    ):
        reply = client.get(f"/api/v1/responses?{query}", headers=headers)
        assert reply.status_code == 422, query
        assert reply.content_type == "application/problem+json"
        assert [e["field"] for e in reply.get_json()["errors"]] == [field]
    assert client.get("/api/v1/responses?survey=nope", headers=headers).status_code == 404
    assert client.get("/api/v1/responses").status_code == 401
