"""Small transaction helpers shared by the services."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.services.errors import Conflict


def dialect() -> str:
    """The database in use: 'postgresql' or 'sqlite'."""
    return db.session.get_bind().dialect.name


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


AUTOCOMMIT = "AUTOCOMMIT"


def statement_transactions() -> None:
    """Let each statement of this unit of work be its own transaction, on PostgreSQL.

    For a request that reads, then writes everything it writes in one statement (a
    respondent's first submit), this saves the BEGIN and COMMIT round trips; the write is
    durable when its statement returns. Code that writes with several statements calls
    ``atomic()`` first. Call before the unit of work's first statement.
    """
    if dialect() == "postgresql" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": AUTOCOMMIT})


def atomic() -> None:
    """Make the statements that follow share one transaction, ending statement_transactions()."""
    if not db.session().in_transaction():
        return
    if db.session.connection().get_execution_options().get("isolation_level") == AUTOCOMMIT:
        db.session.commit()  # nothing to commit; hands the autocommit connection back to the pool
