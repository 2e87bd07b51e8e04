"""API plumbing: bearer keys, and errors as problem+json."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def api_key(app):
    with app.app_context():
        from feedback.services import accounts

        _, plaintext = accounts.create_api_key("tests")
    return plaintext


def test_missing_key_is_401_problem_json(client):
    response = client.get("/api/v1/surveys")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 401 and body["title"] and body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", "Bearer cnd_" + "x" * 40, "Bearer"])
def test_wrong_keys_are_401(client, header):
    assert client.get("/api/v1/surveys", headers={"Authorization": header}).status_code == 401


def test_revoked_key_is_401(app, client, api_key):
    with app.app_context():
        from feedback.services import accounts

        accounts.revoke_api_key(accounts.find_api_key(api_key).id)
    assert client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {api_key}"}).status_code == 401


def test_unknown_survey_is_404_problem_json(client, api_key):
    response = client.get("/api/v1/surveys/999", headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_lists_surveys(client, api_key, app):
    with app.app_context():
        from feedback.services.design import designing
        from surveys.templates import transactional_nps

        survey = designing.create_published(transactional_nps())
    body = client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {api_key}"}).get_json()
    assert body["surveys"][0]["key"] == "transactional-nps"
    one = client.get(f"/api/v1/surveys/{survey.id}", headers={"Authorization": f"Bearer {api_key}"})
    assert one.get_json()["definition"]["questions"][0]["type"] == "nps"


def test_the_api_reference_is_served_locally(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources)  # nothing from a CDN
    assert 'data-spec="/api/v1/openapi.json"' in html
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        asset.close()
    assert client.get("/api/v1/docs/assets/../../config.py").status_code == 404
    assert client.get("/api/v1/docs/assets/index.template.html").status_code == 404
