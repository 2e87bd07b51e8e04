"""Staff choose the back office's language; before they do, the browser's decides. The API
stays in English."""

from __future__ import annotations

import re

from tests.conftest import csrf_from


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_the_browser_decides_until_a_language_is_chosen(app, client, auth):
    auth.as_role("analyst")
    page = client.get("/staff/comments", headers={"Accept-Language": "ar,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="ar"' in _html_tag(page) and 'dir="rtl"' in _html_tag(page)
    token = csrf_from(page)
    chosen = client.post(
        "/staff/account/language", data={"csrf_token": token, "language": "fa", "back": "/staff/comments"}
    )
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/staff/comments")
    page = client.get("/staff/comments", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert 'lang="fa"' in _html_tag(page) and 'dir="rtl"' in _html_tag(page)
    with app.app_context():
        from flask_babel import force_locale, gettext

        with force_locale("fa"):
            assert gettext("Comments") in page and gettext("Comments") != "Comments"
    client.post("/staff/account/language", data={"csrf_token": token, "language": "ru"})
    page = client.get("/staff/comments").get_data(as_text=True)
    assert 'lang="ru"' in _html_tag(page) and 'dir="ltr"' in _html_tag(page)


def test_bad_choices_and_foreign_returns_are_refused(app, client, auth):
    auth.as_role("analyst")
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    bad = client.post("/staff/account/language", data={"csrf_token": token, "language": "xx"})
    assert bad.status_code == 303
    assert "choose one of" in client.get("/staff/").get_data(as_text=True)
    away = client.post(
        "/staff/account/language", data={"csrf_token": token, "language": "en", "back": "//evil.example/"}
    )
    assert away.headers["Location"].endswith("/staff/")
    assert client.post("/staff/account/language", data={"language": "fa"}).status_code == 400


def test_api_messages_stay_in_english(app, client):
    missing = client.get("/api/v1/surveys", headers={"Accept-Language": "fa"})
    assert missing.status_code == 401
    body = missing.get_json()
    assert body["title"].isascii() and body["detail"].isascii()
