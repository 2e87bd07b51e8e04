"""A CSV import always ends, finished or failed, and a bad row is a rejected row with its line."""

from __future__ import annotations

import csv
import io
import time

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from


def _import(app, body: str, kind: str = "customers"):
    with app.app_context():
        from feedback.services.intake import importing

        return importing.import_csv(kind, io.StringIO(body, newline=""), "c.csv", batch_size=2)


def test_rows_that_once_stopped_an_import_are_rejected_and_the_rest_imported(app):
    huge = "x" * (130 * 1024)
    body = (
        "id,email,last_invited_at,note\n"
        "c1,a@example.com,,\n"
        "c2,b@example.com,0001-01-01T00:00:00+14:00,\n"
        f"c3,c@example.com,,{huge}\n"
        "c4,d@example.com,,\n"
    )
    run = _import(app, body)
    assert run.status == "finished"
    assert (run.total, run.accepted, run.rejected) == (4, 2, 2)
    assert [r["line"] for r in run.rejects] == [3, 4]
    assert "outside the years" in str(run.rejects[0]["errors"]) and "longer than" in str(
        run.rejects[1]["errors"]
    )


def test_an_unclosed_quote_is_reported_with_its_lines(app):
    body = 'id,email,name\nc1,a@example.com,Ada\nc2,b@example.com,"Bob\n'
    body += "c3,c@example.com,Cy\nc4,d@example.com,Di\n"
    run = _import(app, body)
    assert run.status == "finished" and run.accepted == 1
    (reject,) = run.rejects
    assert reject["line"] == 3 and "quote opened on line 3" in reject["errors"][0][1]


def test_the_report_neutralises_formulas_in_column_names_too(app):
    body = 'id,email,"=HYPERLINK(""http://evil.example"")"\nc1,not-an-email,x\n'
    run = _import(app, body)
    with app.app_context():
        from feedback.services.intake import importing

        _, report = importing.report_csv(run.id)
    header = next(csv.reader(io.StringIO(report)))
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in header)
    assert "'=HYPERLINK" in report


def test_counts_stay_right_when_the_database_refuses_a_row(app, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from feedback.services.intake import ingest

    real = ingest.upsert_customer

    def refuse_c2(data):
        if data.external_id == "c2":
            raise IntegrityError("INSERT", {}, Exception("refused"))
        return real(data)

    monkeypatch.setattr(ingest, "upsert_customer", refuse_c2)
    run = _import(app, "id,email\nc1,a@example.com\nc2,b@example.com\nc3,c@example.com\n")
    assert (run.status, run.total, run.accepted, run.rejected) == ("finished", 3, 2, 1)
    assert run.rejects[0]["line"] == 3 and "database refused" in run.rejects[0]["errors"][0][1]


def test_an_import_that_breaks_ends_failed_with_its_reason(app, monkeypatch):
    from feedback.services.intake import importing

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_apply", broken)
    with pytest.raises(RuntimeError):
        _import(app, "id,email\nc1,a@example.com\n")
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import ImportRun

        (run,) = db.session.scalars(select(ImportRun))
        assert run.status == "failed" and "disk full" in run.error and run.finished_at is not None


def test_a_run_whose_process_died_is_shown_as_failed(app):
    from datetime import timedelta

    with app.app_context():
        from feedback.extensions import db
        from feedback.models import ImportRun
        from feedback.models.types import utcnow
        from feedback.services.intake import importing

        old = utcnow() - timedelta(hours=1)
        db.session.add(ImportRun(kind="customers", filename="x.csv", started_at=old, updated_at=old))
        db.session.commit()
        (run,) = importing.recent_runs()
        assert run.status == "failed" and "process ended" in run.error


def test_a_large_upload_runs_in_the_background_and_the_page_follows_it(app, client, auth):
    app.config["IMPORT_INLINE_ROWS"] = 2
    auth.as_role("analyst")
    token = csrf_from(client.get("/staff/imports").get_data(as_text=True))
    rows = "id,email\n" + "".join(f"c{i},c{i}@example.com\n" for i in range(50))
    upload = client.post(
        "/staff/imports",
        data={"csrf_token": token, "kind": "customers", "file": (io.BytesIO(rows.encode()), "big.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    for worker in app.extensions.get("candor.imports", []):
        worker.join(timeout=30)
    deadline = time.time() + 30
    while True:
        page = client.get(upload.headers["Location"]).get_data(as_text=True)
        if "50 rows: 50 imported" in page or time.time() > deadline:
            break
        time.sleep(0.2)
    assert "50 rows: 50 imported, 0 already known, 0 rejected." in page
    assert 'http-equiv="refresh"' not in page
