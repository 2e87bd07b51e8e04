"""Configuration: environment variables, and production safety."""

from __future__ import annotations

import pytest

from feedback import create_app
from feedback.config import DEV_SECRET_KEY, RATE_LIMITS, ConfigError, database_uri


def test_production_refuses_missing_secret(tmp_path):
    with pytest.raises(ConfigError, match="FEEDBACK_SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_the_development_key(tmp_path):
    with pytest.raises(ConfigError):
        create_app(
            {"ENV": "production", "SECRET_KEY": DEV_SECRET_KEY, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
        )


def test_production_refuses_a_short_key(tmp_path):
    with pytest.raises(ConfigError, match="too short"):
        create_app({"ENV": "production", "SECRET_KEY": "abc", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_accepts_a_real_key(tmp_path):
    app = create_app(
        {"ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    )
    assert not app.testing
    assert app.config["SECRET_KEY"] == "x" * 40


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="FEEDBACK_ENV"):
        create_app({"ENV": "staging"})


def test_environment_variables_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("FEEDBACK_ENV", "development")
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("FEEDBACK_SMTP_PORT", "2525")
    monkeypatch.setenv("FEEDBACK_COMPANY_NAME", "Acme")
    app = create_app()
    assert app.config["SMTP_PORT"] == 2525
    assert app.config["COMPANY_NAME"] == "Acme"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")


def test_postgres_urls_use_psycopg3():
    assert database_uri("postgresql://u@h/db", "/tmp").startswith("postgresql+psycopg://")
    assert database_uri("postgres://u@h/db", "/tmp").startswith("postgresql+psycopg://")
    assert database_uri("postgresql+psycopg://u@h/db", "/tmp") == "postgresql+psycopg://u@h/db"


def test_default_database_is_sqlite_under_instance(tmp_path):
    assert database_uri(None, str(tmp_path)) == f"sqlite:///{tmp_path}/feedback.db"


@pytest.mark.parametrize("name", RATE_LIMITS)
def test_an_unreadable_rate_limit_is_refused_at_start(tmp_path, name):
    with pytest.raises(ConfigError, match=f"FEEDBACK_{name}.*'lots per minute'"):
        create_app({"ENV": "testing", name: "lots per minute", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_rate_limits_from_the_environment_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("FEEDBACK_PUBLIC_RATE_LIMIT", "5/second;100/hour")
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["PUBLIC_RATE_LIMIT"] == "5/second;100/hour"


def test_pooled_connections_are_replaced_hourly_unless_configured(monkeypatch, tmp_path):
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    with app.app_context():
        from feedback.extensions import db

        assert db.engine.pool._recycle == 3600
        db.engine.dispose()
    monkeypatch.setenv("FEEDBACK_SQLALCHEMY_ENGINE_OPTIONS", '{"pool_recycle": 60}')
    assert create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/y.db"}).config[
        "SQLALCHEMY_ENGINE_OPTIONS"
    ] == {"pool_recycle": 60}
    monkeypatch.setenv("FEEDBACK_SQLALCHEMY_ENGINE_OPTIONS", "[1]")
    with pytest.raises(ConfigError, match="JSON object"):
        create_app({"ENV": "testing"})
