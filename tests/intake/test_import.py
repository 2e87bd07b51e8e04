"""CSV import: validated rows, deduplicated customers, a report with line numbers, safe cells."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.purchases import T0, survey

CUSTOMERS = """id,email,phone,name,locale,time_zone,region,opted_out
c1,ada@example.com,+447700900001,Ada,en,Europe/London,North,
c2,BOB@example.com,,Bob,fa,Asia/Tehran,South,no
c3,not-an-email,,Cyd,en,UTC,East,
c4,,+44 7700 900004,Dee,ru,Mars/Base,West,
c1,ada@example.com,,Ada L.,en,Europe/London,North,
,bob@example.com,,Bob again,fa,Asia/Tehran,South,
c5,=cmd|'/C calc'!A0@example.com,,Eve,en,UTC,,
"""


def _count(app, model):
    with app.app_context():
        from feedback.extensions import db

        return db.session.scalar(select(func.count()).select_from(model))


def test_customers_import_validates_dedupes_and_reports(app):
    with app.app_context():
        from feedback.models import Customer
        from feedback.services.intake import importing

        run = importing.import_csv("customers", io.StringIO(CUSTOMERS), "customers.csv", batch_size=2)
        assert (run.total, run.rejected) == (7, 3)
        assert [r["line"] for r in run.rejects] == [4, 5, 8]
        assert run.rejects[1]["errors"] == [
            ["time_zone", "use an IANA time zone such as 'Asia/Tehran' or 'Europe/London'"]
        ]
        _, report = importing.report_csv(run.id)
    rows = list(csv.reader(io.StringIO(report)))
    assert rows[0][:2] == ["line", "problems"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    with app.app_context():
        from feedback.extensions import db

        people = {c.external_id: c for c in db.session.scalars(select(Customer))}
    assert set(people) == {"c1", "c2"}  # c1 twice and Bob by e-mail stay one customer each
    assert people["c1"].name == "Ada L."
    assert people["c2"].name == "Bob again" and people["c2"].properties["region"] == "South"


def test_purchase_import_schedules_like_the_api(app):
    survey(app)
    body = (
        "order_id,customer_id,email,purchased_at,amount,currency,channel,category,store\n"
        f"o1,c1,a@example.com,{T0.isoformat()},10.00,EUR,store,home,S01\n"
        f"o1,c1,a@example.com,{T0.isoformat()},10.00,EUR,store,home,S01\n"
        f"o2,c2,b@example.com,not a date,5,EUR,online,home,\n"
        f"o3,c3,c@example.com,{T0.isoformat()},abc,EUR,online,home,\n"
    )
    with app.app_context():
        from feedback.models import Invitation, Purchase
        from feedback.services.intake import importing

        run = importing.import_csv("purchases", io.StringIO(body), "p.csv")
        assert (run.accepted, run.duplicates, run.rejected) == (1, 1, 2)
        assert {r["line"] for r in run.rejects} == {4, 5}
    assert _count(app, Purchase) == 1
    assert _count(app, Invitation) == 1
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        # the first-time buyer is placed in a tier at once, and the invitation carries it
        assert db.session.scalar(select(Customer.tier).where(Customer.external_id == "c1")) == "small"
        assert db.session.scalar(select(Invitation.tier)) == "small"


def test_a_file_without_the_columns_is_refused(app):
    with app.app_context():
        import pytest

        from feedback.services.errors import ValidationFailed
        from feedback.services.intake import importing

        with pytest.raises(ValidationFailed, match="not a valid import"):
            importing.import_csv("purchases", io.StringIO("email,name\nx,y\n"), "bad.csv")


def test_cli_import_with_progress_and_report(app, runner, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS, encoding="utf-8")
    report = tmp_path / "rejected.csv"
    result = runner.invoke(args=["import", "customers", str(source), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "7 rows: 4 imported" in result.output
    assert "line 4" in report.read_text() or "4," in report.read_text()


def test_staff_upload_and_report_download(app, client, auth):
    auth.as_role("analyst")
    page = client.get("/staff/imports")
    token = csrf_from(page.get_data(as_text=True))
    upload = client.post(
        "/staff/imports",
        data={
            "csrf_token": token,
            "kind": "customers",
            "file": (io.BytesIO(CUSTOMERS.encode()), "customers.csv"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    summary = client.get(upload.headers["Location"]).get_data(as_text=True)
    assert "7 rows: 4 imported, 0 already known, 3 rejected." in summary and "line 4" in summary
    html = client.get("/staff/imports").get_data(as_text=True)
    link = next(
        part.split('"')[0]
        for part in html.split('href="')
        if part.endswith("report.csv") or "/report.csv" in part.split('"')[0]
    )
    report = client.get(link)
    assert report.mimetype == "text/csv"
    assert b"not a valid e-mail address" in report.data
    no_csrf = client.post(
        "/staff/imports",
        data={"kind": "customers", "file": (io.BytesIO(b"id\nx\n"), "a.csv")},
        content_type="multipart/form-data",
    )
    assert no_csrf.status_code == 400


def test_designers_cannot_import(client, auth):
    auth.as_role("designer")
    assert client.get("/staff/imports").status_code == 403


def test_dispatch_statistics_page(api, app, client, auth):
    from tests.purchases import purchase

    survey(app)
    api.post("/customers", {"id": "q", "email": "q@example.com", "opted_out": True})
    api.post("/purchases", purchase("p1", "q"))
    api.post("/purchases", purchase("p2", "r"))
    auth.as_role("analyst")
    html = client.get("/staff/dispatch").get_data(as_text=True)
    assert "transactional-nps" in html and "opted out" in html


def test_bulk_import_applies_fatigue_within_a_batch_and_opt_outs(app, api):
    survey(app, fatigue_days=30)
    api.post("/customers", {"id": "gone", "email": "gone@example.com", "opted_out": True})
    rows = ["order_id,customer_id,email,purchased_at"]
    for i in range(3):
        rows.append(f"a{i},same,same@example.com,{T0.isoformat()}")
    rows.append(f"b1,gone,gone@example.com,{T0.isoformat()}")
    rows.append(f"c1,fresh,fresh@example.com,{T0.isoformat()}")
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation, Purchase
        from feedback.services.intake import importing

        importing.import_csv("purchases", io.StringIO("\n".join(rows) + "\n"), "p.csv")
        outcome = dict(
            db.session.execute(
                select(Purchase.external_id, Invitation.suppression_reason).join(
                    Invitation, Invitation.purchase_id == Purchase.id
                )
            ).all()
        )
    assert outcome == {"a0": None, "a1": "fatigue", "a2": "fatigue", "b1": "opted_out", "c1": None}


def test_the_import_page_says_what_the_importer_does(app, client, auth):
    import pytest

    from feedback.services.errors import ValidationFailed

    """The page once said `id (required)` while a row with only an e-mail was imported."""
    auth.as_role("analyst")
    html = client.get("/staff/imports").get_data(as_text=True)
    assert "(required)" not in html
    assert "<code>id</code>, <code>email</code> or <code>phone</code>: at least one of them" in html
    with app.app_context():
        from feedback.services.intake import importing

        run = importing.import_csv(
            "customers", io.StringIO("email,name\nzed@example.com,Zed\n,Nobody\n"), "c.csv"
        )
        with pytest.raises(ValidationFailed, match="not a valid import") as refused:
            importing.import_csv("customers", io.StringIO("name,region\nZed,North\n"), "c.csv")
    assert (run.accepted, run.rejected) == (1, 1) and run.rejects[0]["line"] == 3
    assert "email or id or phone" in str(refused.value.errors)
