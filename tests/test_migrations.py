"""Migrations build the schema on empty databases, twice without harm, and match the models."""

from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import inspect, text

from feedback.models import Base
from tests.conftest import make_app, recreate_pg_schema


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_creates_schema_and_is_idempotent(kind, tmp_path):
    url = f"sqlite:///{tmp_path}/empty.db" if kind == "sqlite" else recreate_pg_schema("candor_migrate")
    try:
        app = make_app(url)
        with app.app_context():
            flask_migrate.upgrade()
            flask_migrate.upgrade()  # a second run changes nothing and does not fail
            from feedback.extensions import db

            tables = set(inspect(db.engine).get_table_names())
            assert set(Base.metadata.tables) <= tables
            assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            flask_migrate.check()  # models and migrations agree
            db.session.remove()
            db.engine.dispose()
    finally:
        if kind == "postgresql":
            recreate_pg_schema("candor_migrate", drop_only=True)


def test_cli_upgrade_twice(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/cli.db")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    second = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
