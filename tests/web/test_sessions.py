"""Sessions end when staff sign out, and passwords, lockout and one-time codes hold.

Each of these was found by an outside review: a cookie captured before sign-out still
opened the back office, secure cookies were never on, and any ten characters passed.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import TEST_SECRET, csrf_from, make_app

PASSWORD = "correct horse battery"


def _sign_in(client, email, password=PASSWORD, *, remember=False, environ=None):
    page = client.get("/staff/login").get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page)}
    if remember:
        data["remember"] = "y"
    return client.post("/staff/login", data=data, environ_base=environ or {})


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _with_cookie(app, name, value):
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def _opens_staff(client) -> bool:
    return client.get("/staff/").status_code == 200


def _post_simple(client, url):
    page = client.get("/staff/account").get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_from(page)})


def test_signing_out_ends_a_captured_session_and_remember_cookie(app, client, auth):
    email = auth.create("analyst")
    assert _sign_in(client, email, remember=True).status_code == 302
    session, remember = _cookie(client, "session"), _cookie(client, "remember_token")
    assert session and remember
    assert _opens_staff(_with_cookie(app, "remember_token", remember))  # it works before
    _post_simple(client, "/staff/logout")
    assert not _opens_staff(_with_cookie(app, "session", session))
    assert not _opens_staff(_with_cookie(app, "remember_token", remember))


def test_sign_out_everywhere(app, client, auth):
    email = auth.create("analyst")
    other = app.test_client()
    _sign_in(client, email)
    _sign_in(other, email)
    assert _opens_staff(other)
    reply = _post_simple(client, "/staff/account/sign-out-everywhere")
    assert reply.status_code == 303
    assert not _opens_staff(other) and not _opens_staff(client)


def test_a_new_password_ends_every_other_session_but_this_one(app, client, auth):
    email = auth.create("analyst")
    other = app.test_client()
    _sign_in(client, email)
    _sign_in(other, email)
    page = client.get("/staff/account").get_data(as_text=True)
    weak = client.post(
        "/staff/account/password",
        data={"csrf_token": csrf_from(page), "current_password": PASSWORD, "new_password": "aaaaaaaaaa"},
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.get_data(as_text=True)
    wrong = client.post(
        "/staff/account/password",
        data={
            "csrf_token": csrf_from(page),
            "current_password": "not it at all",
            "new_password": "violet anchor drum",
        },
    )
    assert wrong.status_code == 422
    changed = client.post(
        "/staff/account/password",
        data={
            "csrf_token": csrf_from(page),
            "current_password": PASSWORD,
            "new_password": "violet anchor drum",
        },
    )
    assert changed.status_code == 303
    assert _opens_staff(client) and not _opens_staff(other)
    assert _sign_in(app.test_client(), email, "violet anchor drum").status_code == 302


def test_a_role_change_or_disabling_ends_that_persons_sessions(app, client, auth):
    auth.as_role("admin")
    email = auth.create("designer")
    theirs = app.test_client()
    _sign_in(theirs, email)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import StaffUser

        target = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
    page = client.get("/staff/users").get_data(as_text=True)
    reply = client.post(
        f"/staff/users/{target}/role", data={"csrf_token": csrf_from(page), "role": "analyst"}
    )
    assert reply.status_code == 303 and not _opens_staff(theirs)
    _sign_in(theirs, email)
    assert _opens_staff(theirs)
    reply = client.post(f"/staff/users/{target}/active", data={"csrf_token": csrf_from(page), "active": "0"})
    assert reply.status_code == 303 and not _opens_staff(theirs)
    assert _sign_in(theirs, email).status_code == 401  # a disabled account cannot sign in


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "too easy to guess"),
        ("password123", "too easy to guess"),
        ("qwertyuiop", "too easy to guess"),
        ("new@example.com-secret", "e-mail"),
        ("my newbie password", "e-mail"),
        ("short", "at least 10"),
    ],
)
def test_weak_passwords_are_refused(app, password, why):
    from feedback.services import accounts
    from feedback.services.errors import ValidationFailed

    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        accounts.create_user(
            "newbie@example.com" if "newbie" in password else "new@example.com", "analyst", password
        )
    assert why in str(refused.value.errors)


def test_an_account_locks_after_repeated_failures_from_any_address(app, client, auth):
    app.config.update(LOGIN_RATE_LIMIT="1000 per minute", LOGIN_LOCKOUT_FAILURES=5)
    email = auth.create("analyst")
    for i in range(5):
        assert (
            _sign_in(client, email, "wrong password!", environ={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
            == 401
        )
    locked = _sign_in(client, email, PASSWORD, environ={"REMOTE_ADDR": "10.0.0.99"})
    assert locked.status_code == 429 and "locked for 15 minutes" in locked.get_data(as_text=True)
    with app.app_context():
        from sqlalchemy import update

        from feedback.extensions import db
        from feedback.models import StaffUser
        from feedback.models.types import utcnow

        db.session.execute(update(StaffUser).values(locked_until=utcnow()))  # the lock ran out
        db.session.commit()
    assert _sign_in(client, email, PASSWORD).status_code == 302


def test_one_time_codes_are_asked_for_and_work_once(app, client, auth):
    email = auth.create("admin")
    _sign_in(client, email)
    page = client.get("/staff/account").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    code = pyotp.TOTP(secret).now()
    bad = client.post("/staff/account/two-factor", data={"csrf_token": csrf_from(page), "code": "000000"})
    assert bad.status_code == 422
    on = client.post("/staff/account/two-factor", data={"csrf_token": csrf_from(page), "code": code})
    assert on.status_code == 303
    _post_simple(client, "/staff/logout")
    step = _sign_in(client, email)
    assert step.status_code == 302 and step.headers["Location"] == "/staff/login/code"
    assert not _opens_staff(client)  # the password alone does not sign in
    page = client.get("/staff/login/code").get_data(as_text=True)
    assert (
        client.post("/staff/login/code", data={"csrf_token": csrf_from(page), "code": code}).status_code
        == 401
    )
    fresh = pyotp.TOTP(secret).at(time.time() + 30)  # the next step's code: good once
    assert (
        client.post("/staff/login/code", data={"csrf_token": csrf_from(page), "code": fresh}).status_code
        == 302
    )
    assert _opens_staff(client)


def test_admins_can_be_required_to_set_up_codes(app, client, auth):
    app.config["REQUIRE_ADMIN_TWO_FACTOR"] = True
    auth.as_role("admin")
    reply = client.get("/staff/surveys")
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/staff/account")
    assert "requires one-time codes" in client.get("/staff/account").get_data(as_text=True)


def test_cookies_are_secure_behind_https_and_remember_me_lasts_thirty_days(tmp_path, sqlite_template):
    import shutil

    shutil.copyfile(sqlite_template, tmp_path / "s.db")
    app = make_app(f"sqlite:///{tmp_path}/s.db", BASE_URL="https://feedback.example.com")
    with app.app_context():
        from feedback.services import accounts

        accounts.create_user("a@example.com", "analyst", PASSWORD)
    client = app.test_client()
    reply = _sign_in(client, "a@example.com", remember=True)
    cookies = [v for k, v in reply.headers.items() if k == "Set-Cookie"]
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "Secure" in session and "SameSite=Lax" in session and "HttpOnly" in session
    assert "Secure" in remember and "SameSite=Lax" in remember and "HttpOnly" in remember
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30
    plain = make_app(f"sqlite:///{tmp_path}/s.db", BASE_URL="http://127.0.0.1:5000")
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert TEST_SECRET


def test_invented_api_keys_meet_a_limit_per_address(app, client):
    app.config["API_AUTH_FAILURE_LIMIT"] = "5 per minute"
    statuses = [
        client.get("/api/v1/surveys", headers={"Authorization": f"Bearer cnd_{i:040d}"}).status_code
        for i in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3
    other = client.get(
        "/api/v1/surveys", headers={"Authorization": "Bearer x"}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert other.status_code == 401


def test_pages_with_personal_or_staff_data_are_not_stored(app, client, auth):
    from tests.respond.helpers import invite, one_page_survey, publish

    token = invite(app, publish(app, one_page_survey()))
    assert client.get(f"/s/{token}").headers["Cache-Control"] == "no-store"
    auth.as_role("analyst")
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"
