"""Small transaction helpers shared by the services."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.services.errors import Conflict


def flush_or_conflict(message: str) -> None:
    """Flush pending rows; a unique-constraint clash becomes a Conflict with ``message``."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None
