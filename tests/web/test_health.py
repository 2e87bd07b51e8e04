from __future__ import annotations

from tests.conftest import make_app


def test_healthz_ok_on_migrated_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["revision"]


def test_healthz_503_when_not_migrated(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/blank.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "not migrated" in response.get_json()["database"]


def test_security_headers(client):
    headers = client.get("/healthz").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
