"""Per-client limits on the public pages (feedback/web/respond/throttle.py)."""

from __future__ import annotations

import logging
import time

from limits import parse_many

from feedback.extensions import limiter
from tests.conftest import make_app
from tests.respond.helpers import invite, one_page_survey, publish


def test_a_limited_client_is_told_when_to_come_back(app, client):
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    token = invite(app, publish(app, one_page_survey()))
    assert [client.get(f"/s/{token}").status_code for _ in range(2)] == [200, 200]
    limited = client.get(f"/s/{token}")
    assert limited.status_code == 429
    # Retry-After is when this client's window ends in the counter store, in whole seconds.
    item = parse_many("2 per minute")[0]
    window_end = limiter.limiter.get_window_stats(item, "127.0.0.1", "respond.survey").reset_time
    assert abs(int(limited.headers["Retry-After"]) - (window_end - time.time())) <= 2
    assert limited.mimetype == "text/html"
    assert "Please wait a minute, then try again." in limited.get_data(as_text=True)


def test_the_limit_page_speaks_the_browsers_language(app, client):
    app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"
    client.get("/privacy")
    limited = client.get("/privacy", headers={"Accept-Language": "fa-IR,fa;q=0.9"})
    html = limited.get_data(as_text=True)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert '<html lang="fa" dir="rtl">' in html and "لطفاً یک دقیقه صبر کنید" in html


def test_each_address_has_its_own_allowance(app):
    app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"
    first = app.test_client()
    second = app.test_client()
    first.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    second.environ_base["REMOTE_ADDR"] = "198.51.100.2"
    assert [first.get("/privacy").status_code for _ in range(2)] == [200, 429]
    assert second.get("/privacy").status_code == 200


def test_a_failing_counter_store_lets_the_customer_through(app, client, monkeypatch, caplog):
    app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"

    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(limiter.limiter, "hit", unreachable)
    with caplog.at_level(logging.WARNING, logger="feedback.web.respond.throttle"):
        assert [client.get("/privacy").status_code for _ in range(3)] == [200, 200, 200]
    assert "rate-limit storage failed" in caplog.text


def test_limits_can_be_switched_off(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=False, PUBLIC_RATE_LIMIT="1 per minute")
    # Another app in the same process (the extension object is shared) does not turn them back on.
    other = make_app(database_url, PUBLIC_RATE_LIMIT="1 per minute")
    try:
        assert [app.test_client().get("/privacy").status_code for _ in range(3)] == [200, 200, 200]
        assert [other.test_client().get("/privacy").status_code for _ in range(2)] == [200, 429]
    finally:
        for each in (app, other):
            with each.app_context():
                from feedback.extensions import db

                db.engine.dispose()


def test_staff_pages_are_left_to_flask_limiter(app, client):
    # The public limit does not reach the sign-in page, which has its own (stricter) rule.
    app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"
    assert [client.get("/staff/login").status_code for _ in range(3)] == [200, 200, 200]
