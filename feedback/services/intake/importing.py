"""CSV import of customers and purchases: validated per row, committed per batch, with a report.

Columns are documented in docs/import.md. Rows that fail validation are kept with their
line number and reasons; valid rows are written one batch per transaction, so a crash
loses at most the batch in flight and never leaves half a row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy.exc import SQLAlchemyError

from feedback.extensions import db
from feedback.models import ImportRun, StaffUser
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.dispatch import scheduling
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.intake import bulk, ingest
from feedback.services.sheets import safe_cell

KINDS = ("customers", "purchases")
CUSTOMER_COLUMNS = {"id", "email", "phone", "name", "locale", "time_zone", "last_invited_at", "opted_out"}
PURCHASE_COLUMNS = {
    "order_id",
    "customer_id",
    "email",
    "phone",
    "name",
    "locale",
    "time_zone",
    "purchased_at",
    "delivered_at",
    "amount",
    "currency",
    "channel",
    "sku",
    "item_name",
    "category",
    "quantity",
    "price",
}
REQUIRED = {
    "customers": set(),
    "purchases": {"order_id", "customer_id", "purchased_at"},
}  # columns, not values
# A customer is named by any of these (docs/import.md); each row is checked for one of them.
ONE_OF = {"customers": {"id", "email", "phone"}, "purchases": set()}
MAX_REJECTS_KEPT = 10_000
MAX_FIELD = 64 * 1024  # characters in one cell; longer is a rejected row, not a failed import
MAX_READ_FIELD = 16 * 1024 * 1024  # what the CSV reader accepts, so the check above can speak


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def customer_payload(row: dict[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {k: _blank(row.get(k)) for k in CUSTOMER_COLUMNS - {"opted_out"}}
    opted = (_blank(row.get("opted_out")) or "").lower()
    if opted:
        payload["opted_out"] = {
            "true": True,
            "yes": True,
            "1": True,
            "false": False,
            "no": False,
            "0": False,
        }.get(opted, opted)
    payload["properties"] = {
        k: v
        for k, v in ((k, _blank(v)) for k, v in row.items())
        if k and k not in CUSTOMER_COLUMNS and v is not None
    }
    return payload


def purchase_payload(row: dict[str, str]) -> dict[str, Any]:
    customer = {
        "id": _blank(row.get("customer_id")),
        **{k: _blank(row.get(k)) for k in ("email", "phone", "name", "locale", "time_zone")},
    }
    item = {
        "sku": _blank(row.get("sku")),
        "name": _blank(row.get("item_name")),
        "category": _blank(row.get("category")),
        "price": _blank(row.get("price")),
    }
    quantity = _blank(row.get("quantity"))
    if quantity is not None:
        item["quantity"] = int(quantity) if quantity.isdigit() else quantity
    payload: dict[str, Any] = {
        "id": _blank(row.get("order_id")),
        "customer": customer,
        "purchased_at": _blank(row.get("purchased_at")),
        "delivered_at": _blank(row.get("delivered_at")),
        "amount": _blank(row.get("amount")),
        "currency": _blank(row.get("currency")),
        "channel": _blank(row.get("channel")),
        "items": [item] if any(v is not None for v in item.values()) else [],
        "properties": {
            k: v
            for k, v in ((k, _blank(v)) for k, v in row.items())
            if k and k not in PURCHASE_COLUMNS and v is not None
        },
    }
    return payload


def check_header(kind: str, fieldnames: list[str] | None) -> None:
    """Refuse a file whose header lacks what ``kind`` needs (ValidationFailed)."""
    if kind not in KINDS:
        raise ValidationFailed([("kind", gettext("import one of %(choices)s", choices=", ".join(KINDS)))])
    header = {h.strip() for h in (fieldnames or []) if h}
    missing = REQUIRED[kind] - header
    if ONE_OF[kind] and not ONE_OF[kind] & header:
        missing = missing | {(" " + gettext("or") + " ").join(sorted(ONE_OF[kind]))}
    if not fieldnames or missing:
        raise ValidationFailed(
            [
                (
                    "file",
                    gettext(
                        "the header row lacks %(columns)s; see docs/import.md",
                        columns=", ".join(sorted(missing)) or gettext("every column"),
                    ),
                )
            ],
            gettext("The file is not a valid import."),
        )


def new_run(kind: str, filename: str, actor: StaffUser | None = None) -> ImportRun:
    run = ImportRun(
        kind=kind, filename=filename[:255], actor_id=actor.id if actor else None, updated_at=utcnow()
    )
    db.session.add(run)
    db.session.commit()
    return run


def import_csv(
    kind: str,
    stream: Iterable[str],
    filename: str,
    *,
    actor: StaffUser | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
    run_id: int | None = None,
) -> ImportRun:
    """Import ``stream`` (text lines of a CSV with a header row); returns the finished run.

    A bad row is a rejected row with its line and reason; whatever else goes wrong, the run
    ends as "failed" with the reason, never "running".
    """
    if kind not in KINDS:
        raise ValidationFailed([("kind", gettext("import one of %(choices)s", choices=", ".join(KINDS)))])
    csv.field_size_limit(MAX_READ_FIELD)
    reader = csv.DictReader(stream)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ValidationFailed(
            [("file", gettext("the header row cannot be read: %(why)s", why=exc))]
        ) from None
    check_header(kind, fieldnames)
    run = db.session.get(ImportRun, run_id) if run_id else new_run(kind, filename, actor)
    try:
        run = _rows(run, kind, reader, batch_size, progress, now)
    except Exception as exc:
        db.session.rollback()
        failed = db.session.get(ImportRun, run.id)
        failed.status, failed.finished_at = "failed", utcnow()
        failed.error = f"stopped: {type(exc).__name__}: {exc}"[:2000]
        audit.record("import_failed", actor=actor, target=failed, kind=kind, error=failed.error)
        db.session.commit()
        raise
    run.status, run.finished_at = "finished", utcnow()
    audit.record(
        "import_finished",
        actor=actor,
        target=run,
        kind=kind,
        accepted=run.accepted,
        rejected=run.rejected,
        duplicates=run.duplicates,
    )
    db.session.commit()
    if progress:
        progress(run.total)
    return run


def _rows(run: ImportRun, kind: str, reader: csv.DictReader, batch_size: int, progress, now) -> ImportRun:
    now = now or utcnow()
    rules = scheduling.active_rules() if kind == "purchases" else None
    batch: list[tuple[int, Any]] = []
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            run.total += 1
            _reject(run, reader.line_num, [("row", f"cannot be read as CSV: {exc}")], {})
            last_line = reader.line_num
            continue
        first, last_line = last_line + 1, reader.line_num
        run.total += 1
        if last_line > first:
            # A quoted field ran over a line break: no field Candor reads may hold one, and an
            # unclosed quote swallows every row after it. Say which lines, rather than guess.
            _reject(run, first, [("row", _spans(first, last_line))], {})
            continue
        try:
            record = _read(kind, row, first)
        except ValidationFailed as exc:
            _reject(run, first, exc.errors, row)
        else:
            batch.append((first, record))
        if len(batch) >= batch_size:
            run = _write(run, kind, batch, rules, now)
            batch = []
            if progress:
                progress(run.total)
    return _write(run, kind, batch, rules, now, final=True)


def _spans(first: int, last: int) -> str:
    if last == first + 1:
        return "a quoted field holds a line break, which no field may contain"
    return (
        f"lines {first} to {last} were read as one row: a quote opened on line {first} is closed only "
        f"{last - first} lines later (or never); check the quotes on line {first}"
    )


def _read(kind: str, row: dict[str, str | None], line: int):
    if None in row:
        raise ValidationFailed([("row", "has more fields than the header")])
    long = [k for k, v in row.items() if v is not None and len(v) > MAX_FIELD]
    if long:
        raise ValidationFailed([(str(k), f"is longer than {MAX_FIELD:,} characters") for k in long])
    if kind == "customers":
        data, errors = ingest.read_customer(customer_payload(row), require_id=False)
        if not errors and not (data.external_id or data.email or data.phone):
            errors = [("id", "give an id, an e-mail or a phone number")]
        if errors:
            raise ValidationFailed(errors)
        return data
    return ingest.read_purchase(purchase_payload(row))


def _reject(run: ImportRun, line: int, errors: list[tuple[str, str]], row: dict) -> None:
    run.rejected += 1
    if len(run.rejects) < MAX_REJECTS_KEPT:
        run.rejects = [
            *run.rejects,
            {"line": line, "errors": [list(e) for e in errors], "row": {k: v for k, v in row.items() if k}},
        ]


def _write(run: ImportRun, kind: str, batch: list, rules, now, *, final: bool = False) -> ImportRun:
    """Write one batch in one transaction; returns the run (reloaded if a rollback happened).

    The counts are taken before any rollback: after one, the run's attributes would be read
    back from the database, losing what this import had counted since its last commit."""
    counts = (run.total, run.accepted, run.duplicates, run.rejected, list(run.rejects))
    if not batch:
        run.updated_at = utcnow()
        db.session.commit()
        return run
    try:
        accepted, duplicates = _apply(kind, [record for _, record in batch], rules, now)
        db.session.flush()
    except SQLAlchemyError:
        db.session.rollback()
        run = _restore(run.id, counts)
        for line, record in batch:  # one by one, to isolate the row the database refused
            counts = (run.total, run.accepted, run.duplicates, run.rejected, list(run.rejects))
            try:
                a, d = _apply(kind, [record], rules, now)
                db.session.flush()
            except SQLAlchemyError as exc:
                db.session.rollback()
                run = _restore(run.id, counts)
                _reject(run, line, [("row", f"the database refused it: {type(exc.orig).__name__}")], {})
            else:
                run.accepted += a
                run.duplicates += d
                run.updated_at = utcnow()
                db.session.commit()
        run.updated_at = utcnow()
        db.session.commit()
        return run
    run.accepted += accepted
    run.duplicates += duplicates
    run.updated_at = utcnow()
    db.session.commit()
    bulk.refresh_statistics(run.accepted - accepted, run.accepted)
    return run


def _restore(run_id: int, counts: tuple) -> ImportRun:
    """After a rollback, the run as committed plus the counts this import had reached."""
    run = db.session.get(ImportRun, run_id)
    run.total, run.accepted, run.duplicates, run.rejected, run.rejects = counts
    return run


def _apply(kind: str, records: list, rules, now) -> tuple[int, int]:
    accepted = duplicates = 0
    for record in records:
        if kind == "customers":
            ingest.upsert_customer(record)
            accepted += 1
        else:
            return bulk.import_purchases(records, rules or [], now)
    return accepted, duplicates


def report_csv(run_id: int) -> tuple[ImportRun, str]:
    """The rejected rows with their line numbers and reasons, as CSV (formula-safe)."""
    run = db.session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"import {run_id} does not exist")
    out = io.StringIO()
    columns = sorted({k for r in run.rejects for k in r.get("row", {})})
    writer = csv.writer(out)
    # Column names come from the uploaded file: they are cells like any other.
    writer.writerow(["line", "problems", *(safe_cell(c) for c in columns)])
    for r in run.rejects:
        problems = "; ".join(f"{f}: {m}" for f, m in r["errors"])
        writer.writerow(
            [r["line"], safe_cell(problems), *(safe_cell(r["row"].get(c) or "") for c in columns)]
        )
    return run, out.getvalue()


STALE_AFTER = timedelta(minutes=10)


def recent_runs(limit: int = 20) -> list[ImportRun]:
    """The latest runs; one that stopped moving (its process died) is marked failed first."""
    from sqlalchemy import and_, or_, select, update

    cutoff = utcnow() - STALE_AFTER
    db.session.execute(
        update(ImportRun)
        .where(
            ImportRun.status == "running",
            or_(
                ImportRun.updated_at < cutoff,
                and_(ImportRun.updated_at.is_(None), ImportRun.started_at < cutoff),
            ),
        )
        .values(status="failed", finished_at=utcnow(), error="stopped: its process ended before it finished")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))


def get_run(run_id: int) -> ImportRun:
    run = db.session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"import {run_id} does not exist")
    return run
