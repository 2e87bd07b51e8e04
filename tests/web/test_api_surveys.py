"""POST and GET /api/v1/surveys with the survey JSON format."""

from __future__ import annotations

import pytest

from surveys import serialize
from surveys.templates import transactional_nps


@pytest.fixture
def headers(app):
    with app.app_context():
        from feedback.services import accounts

        _, key = accounts.create_api_key("tests")
    return {"Authorization": f"Bearer {key}"}


def test_create_publish_and_read_back(client, headers):
    body = serialize.to_dict(transactional_nps())
    created = client.post("/api/v1/surveys?publish=true&activate=true", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["version"] == {"number": 1, "status": "published"}
    assert data["findings"] == []
    fetched = client.get(created.headers["Location"], headers=headers).get_json()
    assert serialize.from_dict(fetched["definition"]) == transactional_nps()


def test_invalid_definition_lists_every_field(client, headers):
    response = client.post(
        "/api/v1/surveys",
        json={"key": "Bad Key", "locales": ["en"], "questions": [{"key": "q", "type": "nps"}]},
        headers=headers,
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {"questions[0].text", "name"} <= fields


def test_duplicate_key_is_409(client, headers):
    body = serialize.to_dict(transactional_nps())
    assert client.post("/api/v1/surveys", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/surveys", json=body, headers=headers).status_code == 409


def test_leading_question_blocks_publish_unless_overridden(client, headers):
    body = serialize.to_dict(transactional_nps(("en",)))
    body["questions"][0]["text"]["en"] = "How likely are you to recommend our amazing shop?"
    blocked = client.post("/api/v1/surveys?publish=true", json=body, headers=headers)
    assert blocked.status_code == 409
    assert blocked.get_json()["errors"][0]["field"] == "questions.nps.en"
    body["key"] = "second"
    ok = client.post(
        "/api/v1/surveys?publish=true&override_reason=Approved+by+the+research+lead",
        json=body,
        headers=headers,
    )
    assert ok.status_code == 201
    assert ok.get_json()["findings"][0]["code"] == "leading"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("not json", "text/plain"), ("{broken", "application/json"), ("[1, 2]", "application/json")],
)
def test_garbage_bodies_get_problem_json(client, headers, data, content_type):
    response = client.post("/api/v1/surveys", data=data, content_type=content_type, headers=headers)
    assert response.status_code in (400, 415, 422)
    assert response.mimetype == "application/problem+json"
