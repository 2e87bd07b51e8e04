"""Staff pages speak the staff member's language; the API keeps answering in English.

Besides the shipped catalogs, these tests load a small catalog of their own (written to a
temporary directory, listed after the shipped one), so that strings no translator has
reached yet still show whether they go through gettext, without depending on the .po files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import csrf_from, make_app

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "feedback" / "translations"
# msgid -> what the test catalog says for it, per locale: a marker no real catalog contains.
OWN = {
    "ru": {
        "this is not your current password": "[ru] это не ваш текущий пароль",
        "Current password": "[ru] Текущий пароль",
    },
    "fa": {
        "survey %(id)s does not exist": "[fa] نظرسنجی %(id)s وجود ندارد",
        "not a cursor from a previous page": "[fa] نشانگر صفحهٔ قبلی نیست",
    },
}


def shipped(locale: str, msgid: str) -> str:
    with (SHIPPED / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        entry = read_po(handle, locale=locale).get(msgid)
    assert entry is not None and entry.string and entry.string != msgid, (
        f"{msgid!r} lacks a {locale} translation"
    )
    return entry.string


@pytest.fixture
def app(database_url, tmp_path):
    for locale, messages in OWN.items():
        catalog = Catalog(locale=locale)
        for msgid, text in messages.items():
            catalog.add(msgid, text, flags=("python-format",) if "%(" in msgid else ())
        folder = tmp_path / "catalogs" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog)
    from feedback.extensions import babel

    app = make_app(database_url, BABEL_TRANSLATION_DIRECTORIES=f"{SHIPPED};{tmp_path / 'catalogs'}")
    # Flask-Babel keeps loaded catalogs on the extension, shared by every app of the process:
    # start from none, so these directories are read, and leave none behind for other tests.
    with app.app_context():
        translations = babel.domain_instance.cache
    translations.clear()
    yield app
    translations.clear()
    with app.app_context():
        from feedback.extensions import db

        db.session.remove()
        db.engine.dispose()


def _speak(client, language: str) -> str:
    token = csrf_from(client.get("/staff/account").get_data(as_text=True))
    chosen = client.post("/staff/account/language", data={"csrf_token": token, "language": language})
    assert chosen.status_code == 303
    return token


def test_a_flash_comes_out_in_the_staff_members_language(app, client, auth):
    email = auth.as_role("admin")
    token = _speak(client, "ru")
    with app.app_context():
        from feedback.services import accounts

        me = next(u for u in accounts.list_users() if u.email == email)
    refused = client.post(f"/staff/users/{me.id}/role", data={"csrf_token": token, "role": "analyst"})
    assert refused.status_code == 303
    page = client.get("/staff/users").get_data(as_text=True)
    assert shipped("ru", "Ask another admin to change your own role.") in page
    assert "Ask another admin" not in page


def test_a_form_label_and_a_service_error_come_out_in_the_staff_members_language(app, client, auth):
    auth.as_role("analyst")
    token = _speak(client, "ru")
    wrong = client.post(
        "/staff/account/password",
        data={"csrf_token": token, "current_password": "not it at all", "new_password": "x" * 20},
    )
    assert wrong.status_code == 422
    page = wrong.get_data(as_text=True)
    assert OWN["ru"]["this is not your current password"] in page  # raised by the accounts service
    assert OWN["ru"]["Current password"] in page  # a lazy_gettext label of the form class
    # Built-in validator messages follow too (WTForms' own catalog).
    empty = client.post("/staff/account/password", data={"csrf_token": token})
    assert empty.status_code == 400 and "This field is required." not in empty.get_data(as_text=True)


def test_the_api_answers_in_english_to_a_staff_member_who_reads_persian(app, client, auth):
    auth.as_role("admin")
    _speak(client, "fa")
    with app.app_context():
        from feedback.services import accounts

        _key, plaintext = accounts.create_api_key("shop")
    headers = {"Authorization": f"Bearer {plaintext}", "Accept-Language": "fa"}
    # The staff page shows the same service message in Persian, so the catalog is there...
    page = client.get("/staff/surveys/424242")
    assert page.status_code == 404 and "[fa] نظرسنجی 424242" in page.get_data(as_text=True)
    # ...and the API, asked with the same browser session and language, still speaks English.
    missing = client.get("/api/v1/surveys/424242", headers=headers)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    body = missing.get_json()
    assert body["detail"] == "survey 424242 does not exist" and body["title"] == "Not found"
    # A validation failure raised by a service: translated on the staff page, English in the API.
    inbox = client.get("/staff/comments?cursor=garbage", follow_redirects=True)
    assert "[fa] نشانگر صفحهٔ قبلی نیست" in inbox.get_data(as_text=True)
    bad = client.get("/api/v1/comments?cursor=garbage", headers=headers)
    problem = bad.get_json()
    assert bad.status_code == 422 and problem["title"] == "Invalid input"
    assert problem["errors"] == [{"field": "cursor", "message": "not a cursor from a previous page"}]


def test_the_new_strings_are_extracted_as_make_translations_does():
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
    found = {
        (message[0] if isinstance(message, tuple) else message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "feedback"), [("**.py", "python")], keywords=keywords
        )
    }
    for msgid in (
        "Current password",  # lazy_gettext in a form class
        "Analyst: reads reports",  # a choice
        "Enter a full http(s) address.",  # a validator message
        "Created %(email)s (%(role)s).",  # a flash
        "this is not your current password",  # a service error shown on a staff page
        "The request could not be understood. Go back and try again.",  # an HTML error page
        "members: %(people)s",  # a CLI line
        "NPS by %(by)s",  # a chart title
    ):
        assert msgid in found, msgid
