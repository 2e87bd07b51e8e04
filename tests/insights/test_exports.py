"""Exports: CSV and XLSX of results and raw responses with their themes, formula-safe, right
to left for Persian and Arabic, the same through the staff pages, the API and the CLI."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from feedback.services import sheets
from tests.insights.helpers import Said, seed

HOSTILE = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell):
    assert sheets.safe_cell(cell) == "'" + cell
    (chunk,) = list(sheets.csv_chunks([[cell, -3, 2.5, None, True]], bom=False))
    row = next(csv.reader(io.StringIO(chunk)))
    assert row == ["'" + cell, "-3", "2.5", "", "true"]


def test_plain_cells_and_numbers_are_left_alone():
    assert sheets.safe_cell("fine = good") == "fine = good"
    assert sheets.safe_cell(None) == ""
    (chunk,) = list(sheets.csv_chunks([["a,b", 'say "hi"', "line\nbreak"]], bom=False))
    assert next(csv.reader(io.StringIO(chunk))) == ["a,b", 'say "hi"', "line\nbreak"]


def test_csv_streams_in_chunks():
    chunks = list(sheets.csv_chunks(([i, "x"] for i in range(sheets.CHUNK_ROWS * 3 + 5)), bom=True))
    assert len(chunks) == 4 and chunks[0].startswith("\ufeff")
    assert sum(c.count("\r\n") for c in chunks) == sheets.CHUNK_ROWS * 3 + 5


def _xlsx_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_xlsx_is_right_to_left_when_asked_and_never_holds_a_formula():
    out = io.BytesIO()
    sheets.write_xlsx([("responses", [["text", "n"], ["=1+1", 3], ["سلام", -1]])], out, right_to_left=True)
    parts = _xlsx_parts(out.getvalue())
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert 'rightToLeft="1"' in sheet
    assert "<f>" not in sheet  # no formula cell anywhere
    shared = parts.get("xl/sharedStrings.xml", "") + sheet  # constant memory writes inline strings
    assert "'=1+1" in shared and "سلام" in shared
    ltr = io.BytesIO()
    sheets.write_xlsx([("r", [["a"]])], ltr)
    assert "rightToLeft" not in _xlsx_parts(ltr.getvalue())["xl/worksheets/sheet1.xml"]


SAID = [
    Said(2, "=cmd|'/c calc'!A1 the courier was rude"),
    Said(9, "fast delivery, thanks", locale="fa"),
    Said(6, "call me 07700 900123", tier="top"),
]


@pytest.fixture
def key(app):
    with app.app_context():
        from feedback.services import accounts

        return accounts.create_api_key("export")[1]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_responses_csv_has_a_column_per_question_and_the_themes(app, client, key):
    seed(app, SAID)
    reply = client.get(
        "/api/v1/responses?survey=voice&format=csv", headers={"Authorization": f"Bearer {key}"}
    )
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert 'filename="voice-responses.csv"' in reply.headers["Content-Disposition"]
    rows = _rows(reply.get_data(as_text=True))
    header = rows[0]
    assert header[:6] == ["response", "submitted_at", "version", "source", "locale", "customer"]
    assert header[-5:] == ["nps", "reason", "area", "detail", "themes"]
    assert len(rows) == 4
    first = dict(zip(header, rows[1], strict=True))
    assert first["nps"] == "2" and first["reason"].startswith("'=cmd")
    assert "staff:complaint" in first["themes"]
    assert first["customer"] == "voice-0" and first["tier"] == "regular"


def test_results_export_matches_the_results_json(app, client, key):
    survey_id = seed(app, [Said(s, "ok") for s in (0, 3, 7, 8, 9, 10, 10, 9, 2, 9)])
    headers = {"Authorization": f"Bearer {key}"}
    data = client.get(f"/api/v1/surveys/{survey_id}/results", headers=headers).get_json()
    reply = client.get(f"/api/v1/surveys/{survey_id}/results?format=csv", headers=headers)
    rows = _rows(reply.get_data(as_text=True))
    assert rows[0] == ["section", "metric", "segment", "period", "value", "low", "high", "n", "note"]
    overall = next(r for r in rows if r[:2] == ["overall", "nps"])
    nps = data["metrics"]["nps"]
    if nps.get("value") is None:
        assert overall[4] == "" and overall[7] == str(nps["n"])
    else:
        assert float(overall[4]) == nps["value"] and float(overall[5]) == nps["low"]
        assert float(overall[6]) == nps["high"] and int(overall[7]) == nps["n"]
    with client.get(f"/api/v1/surveys/{survey_id}/results?format=xlsx", headers=headers) as xlsx:
        assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get(f"/api/v1/surveys/{survey_id}/results?format=pdf", headers=headers).status_code == 422
    assert client.get("/api/v1/responses?format=csv", headers=headers).status_code == 422


def test_staff_export_masks_contacts_for_an_analyst(app, client, auth):
    survey_id = seed(app, SAID)
    auth.as_role("analyst")
    reply = client.get(f"/staff/surveys/{survey_id}/export/responses.csv")
    assert reply.status_code == 200
    text = reply.get_data(as_text=True)
    assert "07700 900123" not in text and "call me •••" in text
    with client.get(f"/staff/surveys/{survey_id}/export/results.xlsx") as xlsx:
        assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
        assert xlsx.get_data()[:2] == b"PK"
    assert client.get(f"/staff/surveys/{survey_id}/export/responses.exe").status_code == 404
    assert client.get(f"/staff/surveys/{survey_id}/export/secrets.csv").status_code == 404


def test_cli_export_writes_files(app, runner, tmp_path):
    seed(app, SAID)
    out = tmp_path / "r.xlsx"
    result = runner.invoke(args=["export", "responses", "voice", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    parts = _xlsx_parts(out.read_bytes())
    assert "rightToLeft" not in parts["xl/worksheets/sheet1.xml"]  # an English survey
    rtl = tmp_path / "rtl.xlsx"
    result = runner.invoke(args=["export", "results", "voice", "--format", "xlsx", "--rtl", "-o", str(rtl)])
    assert result.exit_code == 0, result.output
    assert 'rightToLeft="1"' in _xlsx_parts(rtl.read_bytes())["xl/worksheets/sheet1.xml"]
    csv_out = tmp_path / "r.csv"
    result = runner.invoke(args=["export", "responses", "voice", "-o", str(csv_out)])
    assert result.exit_code == 0 and len(_rows(csv_out.read_text("utf-8"))) == 4
    bad = runner.invoke(args=["export", "responses", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output
    bad = runner.invoke(args=["export", "results", "voice", "--from", "yesterday"])
    assert bad.exit_code == 2


def test_submitted_at_is_the_stored_instant_in_iso_8601(app):
    from datetime import UTC, datetime

    from feedback.services.design import catalog
    from feedback.services.insights import export

    whole = datetime(2026, 3, 1, 9, 30, 5, tzinfo=UTC)
    fraction = datetime(2026, 3, 1, 9, 30, 5, 120034, tzinfo=UTC)
    survey_id = seed(app, [Said(9, "ok", at=whole), Said(3, "slow", at=fraction)])
    with app.app_context():
        text = "".join(sheets.csv_chunks(export.response_rows(catalog.get_survey(survey_id), for_csv=True)))
    cells = [row[1] for row in _rows(text)[1:]]
    assert cells == [whole.isoformat(), fraction.isoformat()]  # as isoformat() spells them, on every database
    assert [datetime.fromisoformat(c) for c in cells] == [whole, fraction]


def test_a_persian_readers_sheet_runs_right_to_left_with_iso_cells(app, client, auth):
    survey_id = seed(app, SAID)  # an English survey
    auth.as_role("analyst")
    english = client.get(f"/staff/surveys/{survey_id}/export/responses.xlsx")
    assert "rightToLeft" not in _xlsx_parts(english.get_data())["xl/worksheets/sheet1.xml"]
    persian = client.get(
        f"/staff/surveys/{survey_id}/export/responses.xlsx", headers={"Accept-Language": "fa"}
    )
    parts = _xlsx_parts(persian.get_data())
    assert 'rightToLeft="1"' in parts["xl/worksheets/sheet1.xml"]
    assert "<f>" not in parts["xl/worksheets/sheet1.xml"]  # and never a formula
    text = parts.get("xl/sharedStrings.xml", "") + parts["xl/worksheets/sheet1.xml"]
    assert "2026-06-15T12:00" not in text  # the answer time is a date cell on every database
