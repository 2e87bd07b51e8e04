"""persist.first(): one statement through psycopg in autocommit on PostgreSQL, through the
session everywhere else; durability, transactions and errors as the callers expect."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import Integer, String, create_engine, text
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.services import persist

INSERT = text(
    "INSERT INTO customer (external_id, locale, time_zone, properties, created_at, updated_at) "
    "VALUES (:external_id, 'en', 'UTC', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
    "RETURNING id, external_id"
).columns(id=Integer, external_id=String)
SELECT = text("SELECT id, external_id, created_at FROM customer WHERE external_id = :external_id").columns(
    id=Integer, external_id=String, created_at=String
)


def stored(app, external_id: str) -> bool:
    """Seen from a connection of its own: only committed rows count."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as conn:
            return conn.execute(SELECT, {"external_id": external_id}).first() is not None
    finally:
        engine.dispose()


def test_a_statement_outside_a_transaction_is_durable_when_first_returns(app, ctx):
    row = persist.first(INSERT, {"external_id": "c-1"})
    assert row.external_id == "c-1" and row[0] == row.id
    postgresql = persist.dialect() == "postgresql"
    # PostgreSQL ran it in autocommit beside the session; SQLite in the session, for its commit.
    assert db.session().in_transaction() is not postgresql
    assert stored(app, "c-1") is postgresql
    db.session.commit()
    assert stored(app, "c-1")
    found = persist.first(SELECT, {"external_id": "c-1"})
    assert found.id == row.id and found.created_at is not None
    assert persist.first(SELECT, {"external_id": "nobody"}) is None


def test_after_atomic_the_statement_joins_the_transaction(app, ctx):
    persist.atomic()
    persist.first(INSERT, {"external_id": "c-2"})
    assert not stored(app, "c-2")
    db.session.rollback()
    assert not stored(app, "c-2")
    persist.atomic()
    persist.first(INSERT, {"external_id": "c-2"})
    db.session.commit()
    assert stored(app, "c-2")


def test_a_unique_clash_raises_sqlalchemys_integrity_error_and_the_link_goes_on(app, ctx):
    persist.first(INSERT, {"external_id": "c-3"})
    db.session.commit()
    with pytest.raises(IntegrityError):
        persist.first(INSERT, {"external_id": "c-3"})
    db.session.rollback()
    assert persist.first(INSERT, {"external_id": "c-4"}).external_id == "c-4"
    db.session.commit()
    assert stored(app, "c-4")


def test_the_request_connection_goes_back_to_the_pool_ready_for_transactions(app):
    with app.app_context():
        persist.first(SELECT, {"external_id": "nobody"})
        held = g.get("_autocommit_connection")
        if persist.dialect() == "sqlite":
            assert held is None  # SQLite has no separate connection to hold
            return
        driver = held.driver_connection
        assert driver.autocommit is True
        assert persist.first(SELECT, {"external_id": "nobody"}) is None
        assert g.get("_autocommit_connection") is held  # one connection for the whole request
    assert driver.autocommit is False and not driver.closed
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
