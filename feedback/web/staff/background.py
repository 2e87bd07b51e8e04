"""A CSV upload too large for one request is imported by a thread with its own application
context and database session; the page follows its progress from the import run."""

from __future__ import annotations

import csv
import io
import logging
import threading

from flask import Flask

from feedback.services.intake import importing

log = logging.getLogger(__name__)


def start_import(app: Flask, kind: str, text: str, filename: str, actor):
    """The run of ``text``: finished already when it is small, else under way in a thread."""
    importing.check_header(kind, next(csv.reader(io.StringIO(text, newline="")), None))
    if text.count("\n") <= int(app.config.get("IMPORT_INLINE_ROWS", 5000)):
        return importing.import_csv(kind, io.StringIO(text, newline=""), filename, actor=actor)
    run = importing.new_run(kind, filename, actor)
    worker = threading.Thread(
        target=_run, args=(app, kind, text, filename, actor.id if actor else None, run.id), daemon=True
    )
    worker.start()
    app.extensions.setdefault("candor.imports", []).append(worker)
    return run


def _run(app: Flask, kind: str, text: str, filename: str, actor_id: int | None, run_id: int) -> None:
    with app.app_context():
        from feedback.extensions import db
        from feedback.services import accounts

        try:
            actor = accounts.get_user(actor_id) if actor_id else None
            importing.import_csv(kind, io.StringIO(text, newline=""), filename, actor=actor, run_id=run_id)
        except Exception:  # import_csv has marked the run failed, with the reason
            log.exception("background import %s failed", run_id)
        finally:
            db.session.remove()
