"""Staff sign-in, roles and CSRF: the refusals come with the right status."""

from __future__ import annotations

from tests.conftest import csrf_from


def test_wrong_password_is_401_and_audited(app, client, auth):
    email = auth.create("analyst")
    response = auth.login(email, "not the password")
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302  # still signed out
    with app.app_context():
        from feedback.services import audit

        assert [e.action for e in audit.recent(action="login_failed")] == ["login_failed"]


def test_unknown_email_is_401_too(client, auth):
    assert auth.login("nobody@example.com", "whatever it is").status_code == 401


def test_correct_password_signs_in(client, auth):
    auth.as_role("analyst")
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "analyst@example.com" in page.get_data(as_text=True)


def test_missing_csrf_token_is_400(client, auth):
    email = auth.create("admin")
    client.get("/staff/login")
    response = client.post("/staff/login", data={"email": email, "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302


def test_forged_csrf_token_is_400(client, auth):
    email = auth.create("admin")
    client.get("/staff/login")
    response = client.post(
        "/staff/login", data={"email": email, "password": "correct horse battery", "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_missing_role_is_403(client, auth):
    auth.as_role("analyst")
    assert client.get("/staff/users").status_code == 403


def test_admin_reaches_users_page(client, auth):
    auth.as_role("admin")
    assert client.get("/staff/users").status_code == 200


def test_signed_out_staff_page_redirects_to_login(client):
    response = client.get("/staff/users")
    assert response.status_code == 302
    assert "/staff/login?next=" in response.headers["Location"]


def test_login_never_redirects_off_site(client, auth):
    email = auth.create("analyst")
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    response = client.post(
        "/staff/login?next=//evil.example/x",
        data={"email": email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


def test_logout_needs_post_with_csrf(client, auth):
    auth.as_role("analyst")
    assert client.get("/staff/logout").status_code == 405
    assert client.post("/staff/logout").status_code == 400
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_deactivated_user_is_signed_out(app, client, auth):
    email = auth.as_role("analyst")
    with app.app_context():
        from feedback.services import accounts

        user = next(u for u in accounts.list_users() if u.email == email)
        accounts.set_active(user.id, False)
    assert client.get("/staff/").status_code == 302


def test_login_is_rate_limited(client, auth):
    email = auth.create("analyst")
    statuses = [auth.login(email, "wrong password!").status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[-1] == 429


def test_admin_creates_user_through_form(client, auth):
    auth.as_role("admin")
    token = csrf_from(client.get("/staff/users").get_data(as_text=True))
    response = client.post(
        "/staff/users",
        data={
            "email": "new@example.com",
            "name": "New",
            "role": "designer",
            "password": "long enough password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert "new@example.com" in client.get("/staff/users").get_data(as_text=True)
    duplicate = client.post(
        "/staff/users",
        data={
            "email": "NEW@example.com",
            "name": "",
            "role": "designer",
            "password": "long enough password",
            "csrf_token": token,
        },
    )
    assert duplicate.status_code == 409


def test_every_staff_route_declares_a_permission(app):
    unguarded = []
    for rule in app.url_map.iter_rules():
        from feedback.web.staff import PUBLIC_ENDPOINTS

        if not rule.endpoint.startswith("staff.") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "permission", None):
            unguarded.append(rule.endpoint)
    assert unguarded == []


def test_passwords_are_stored_hashed(app, auth):
    auth.create("admin", password="plain text never stored")
    with app.app_context():
        from feedback.services import accounts

        (user,) = accounts.list_users()
        assert "plain text" not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
