"""Fixtures: every database test runs on SQLite, and on PostgreSQL when
FEEDBACK_TEST_DATABASE_URL is set. The schema comes from the real migrations, built
once per session; each test then starts from empty tables."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from feedback import create_app
from feedback.config import database_uri

pytest_plugins = ["tests.servers"]

PG_URL = os.environ.get("FEEDBACK_TEST_DATABASE_URL")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(database_url: str, **overrides):
    config = {"ENV": "testing", "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET}
    config.update(overrides)
    return create_app(config)


def migrate(database_url: str) -> None:
    import flask_migrate

    app = make_app(database_url)
    with app.app_context():
        flask_migrate.upgrade()
        from feedback.extensions import db

        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


def pg_url_with_schema(schema: str) -> str:
    base = database_uri(PG_URL, "")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


def recreate_pg_schema(prefix: str, *, drop_only: bool = False) -> str:
    """Drop and (unless ``drop_only``) create an empty schema private to this xdist worker."""
    if not PG_URL:
        pytest.skip("FEEDBACK_TEST_DATABASE_URL is not set; PostgreSQL variant not run")
    schema = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = create_engine(database_uri(PG_URL, ""))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        if not drop_only:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return pg_url_with_schema(schema)


@pytest.fixture(scope="session")
def pg_schema():
    """A private, migrated schema per xdist worker."""
    url = recreate_pg_schema("candor_test")
    migrate(url)
    yield url
    recreate_pg_schema("candor_test", drop_only=True)


def truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        dest = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), dest)
        return f"sqlite:///{dest}"
    url = request.getfixturevalue("pg_schema")
    truncate_all(url)
    return url


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    yield app
    with app.app_context():
        from feedback.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context() as context:
        yield context


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class Auth:
    """Signs in through the real login form, CSRF token included."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def create(
        self, role: str = "admin", email: str | None = None, password: str = "correct horse battery"
    ) -> str:
        from feedback.services import accounts

        email = email or f"{role}@example.com"
        with self.app.app_context():
            accounts.create_user(email, role, password)
        return email

    def login(self, email: str, password: str = "correct horse battery"):
        page = self.client.get("/staff/login")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/staff/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def as_role(self, role: str):
        email = self.create(role)
        response = self.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return email


@pytest.fixture
def auth(app, client) -> Auth:
    return Auth(app, client)
