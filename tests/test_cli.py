"""The `feedback` command group, through Flask's CLI runner."""

from __future__ import annotations

from sqlalchemy import select


def test_users_create(runner, app):
    result = runner.invoke(
        args=["users", "create", "Ops@Example.com", "--role", "analyst", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        from feedback.services import accounts

        assert [(u.email, u.role) for u in accounts.list_users()] == [("ops@example.com", "analyst")]


def test_users_create_rejects_bad_role_and_short_password(runner):
    bad_role = runner.invoke(
        args=["users", "create", "a@example.com", "--role", "boss", "--password", "a long password"]
    )
    assert bad_role.exit_code == 2
    short = runner.invoke(args=["users", "create", "a@example.com", "--role", "admin", "--password", "short"])
    assert short.exit_code == 2
    assert "at least 10 characters" in short.output


def test_users_create_duplicate_is_a_clear_error(runner):
    args = ["users", "create", "a@example.com", "--role", "admin", "--password", "a long password"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_api_key_is_printed_once_and_stored_hashed(runner, app, client):
    result = runner.invoke(args=["api-keys", "create", "shop"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("cnd_") and len(key) > 40
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import ApiKey

        stored = db.session.scalars(select(ApiKey)).one()
        assert key not in (stored.key_hash, stored.prefix)
    assert client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_demo_if_empty_loads_once(runner, app):
    first = runner.invoke(args=["demo", "--responses", "150", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "150 responses" in first.output
    second = runner.invoke(args=["demo", "--responses", "150", "--if-empty"])
    assert second.exit_code == 0
    assert "Demo loaded" not in second.output
    assert "admin@candor.example" in second.output
    third = runner.invoke(args=["demo", "--responses", "150"])
    assert third.exit_code == 1
    assert "already loaded" in third.output


def test_help_lists_the_commands(runner):
    result = runner.invoke(args=["--help"])
    for command in ("db", "demo", "serve", "users", "api-keys"):
        assert command in result.output
