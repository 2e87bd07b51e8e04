"""Small transaction helpers shared by the services."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from typing import Any, NamedTuple

import psycopg
from flask import g
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.sql.selectable import SelectBase

from feedback.extensions import db
from feedback.services.errors import Conflict


def dialect() -> str:
    """The database in use: 'postgresql' or 'sqlite'."""
    return db.engine.dialect.name


def in_transaction() -> bool:
    # Asked without creating the request's session, which a link's submit may never need.
    return db.session.registry.has() and db.session().in_transaction()


def commit() -> None:
    """Commit the session's transaction, if one is open; ``first()`` may have left none."""
    if in_transaction():
        db.session.commit()


def flush_or_conflict(message: str) -> None:
    """Flush pending rows; a unique-constraint clash becomes a Conflict with ``message``."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None


def insert_or_existing(row, find):
    """Insert ``row`` in a savepoint; if a concurrent insert of the same key won, return
    ``find()`` instead. Returns (row, True) or (existing, False); re-raises any other clash."""
    savepoint = db.session.begin_nested()
    db.session.add(row)
    try:
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        existing = find()
        if existing is None:
            raise
        return existing, False
    return row, True


def first(statement: SelectBase, params: Mapping[str, Any]) -> Any:
    """The first row of one statement that returns rows (a SELECT, or a write with RETURNING
    given as ``text(...).columns(...)``), or None.

    On PostgreSQL, when the session has no transaction open, psycopg runs the statement
    itself, in autocommit, on a pooled connection the request keeps: one round trip, no
    BEGIN or COMMIT, and a write is durable when it returns. Otherwise the statement joins
    the session's transaction, which the caller commits. SQLAlchemy's execution layer (session
    transaction, execution context, result metadata) costs more CPU than psycopg's own work
    for a one-row statement; on a link's submit, the request we serve most, skipping it for
    two statements is a fifth of the throughput (docs/respondents.md, "Speed").

    Values go to psycopg as given, without SQLAlchemy's type processing, and come back as
    psycopg makes them (aware datetimes, dicts for JSONB) in a named tuple. Database errors
    are raised as SQLAlchemy's exceptions, as from the session.
    """
    if dialect() != "postgresql" or in_transaction():
        return db.session.execute(statement, params).first()
    compiled = driven(statement)
    try:
        with _autocommit().cursor() as cursor:
            cursor.execute(compiled.sql, {**compiled.defaults, **params})
            values = cursor.fetchone()
    except psycopg.Error as error:
        raise DBAPIError.instance(compiled.sql, params, error, psycopg.Error) from error
    return None if values is None else compiled.row._make(values)


def atomic() -> None:
    """Make the statements that follow, ``first()`` included, share one transaction."""
    db.session.connection()


class Driven(NamedTuple):
    """A statement compiled for psycopg."""

    sql: str  # psycopg's placeholders
    defaults: dict[str, Any]  # values fixed in the statement
    row: type  # a named tuple of its columns; psycopg's own rows would describe every column again


_driven_cache: dict[SelectBase, Driven] = {}


def driven(statement: SelectBase) -> Driven:
    """The statement as ``first()`` hands it to psycopg, compiled once per statement: callers
    pass module-level statements, or ones they cache per shape."""
    if statement not in _driven_cache:
        compiled = statement.compile(dialect=db.engine.dialect)
        names = list(statement.selected_columns.keys())
        _driven_cache[statement] = Driven(
            str(compiled), dict(compiled.params), namedtuple("Row", names, rename=True)
        )
    return _driven_cache[statement]


def _autocommit() -> psycopg.Connection:
    held = g.get("_autocommit_connection")
    if held is None:
        held = db.engine.raw_connection()
        held.driver_connection.autocommit = True
        g._autocommit_connection = held
    return held.driver_connection


def release(_error: BaseException | None = None) -> None:
    """Give the request's autocommit connection back to the pool (teardown_appcontext)."""
    held = g.pop("_autocommit_connection", None)
    if held is None:
        return
    try:
        held.driver_connection.autocommit = False
    except psycopg.Error:
        held.invalidate()  # broken; the pool opens a fresh one
    held.close()
