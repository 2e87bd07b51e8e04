"""Liveness and readiness: can we reach the database, and is the schema migrated?"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from feedback.extensions import db

NOT_MIGRATED = "not migrated: run `feedback db upgrade`"


@dataclass(frozen=True)
class Health:
    ok: bool
    database: str
    revision: str | None


def check() -> Health:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return Health(False, f"unavailable: {type(exc).__name__}", None)
    try:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        db.session.rollback()
        revision = None
    if revision is None:
        return Health(False, NOT_MIGRATED, None)
    return Health(True, "ok", revision)
