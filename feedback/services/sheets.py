"""Tables written for spreadsheets: CSV streamed in chunks, XLSX in constant memory, and every
text cell made safe to open.

A cell that begins with = + - @ tab or CR is run as a formula by Excel, LibreOffice and Google
Sheets; customers type comments and staff import files, so any text may be hostile (OWASP,
"CSV Injection"). Such cells get a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO, Any

import xlsxwriter

FORMATS = ("csv", "xlsx")
RTL_LANGUAGES = ("fa", "ar", "he", "ur")
CHUNK_ROWS = 2000
SHEET_NAME_MAX = 31  # Excel's limit
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL = 32_767


FORMULA_STARTS = frozenset("=+-@\t\r")


def safe_cell(value: Any) -> str:
    """Quote cells a spreadsheet would run as a formula: = + - @ tab CR first (OWASP, CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _csv_value(value: Any) -> Any:
    # Numbers stay numbers (a negative score is not a formula); everything else is text.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return safe_cell(value)


def csv_chunks(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Iterator[str]:
    """CSV text a few thousand rows at a time, so a million rows never sit in memory. The BOM
    lets Excel read UTF-8 (Persian, Arabic, Russian) instead of guessing a code page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    pending = 0
    quoted = FORMULA_STARTS
    for row in rows:
        # The common cells (text, whole numbers, empty) are handled inline: this loop runs once
        # per cell of a million-row export.
        writer.writerow(
            [
                ("'" + v if v and v[0] in quoted else v)
                if type(v) is str
                else (v if type(v) is int or type(v) is float else ("" if v is None else _csv_value(v)))
                for v in row
            ]
        )
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(rows: Iterable[Sequence[Any]], out: IO[str]) -> int:
    written = 0
    for chunk in csv_chunks(rows):
        out.write(chunk)
        written += chunk.count("\r\n")
    return written


class TooManyRows(ValueError):
    """An XLSX sheet holds 1,048,576 rows; the caller should offer CSV."""


def write_xlsx(
    sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]],
    target: str | IO[bytes],
    *,
    right_to_left: bool = False,
) -> None:
    """Each (name, rows) as one sheet, first row as the header. Constant-memory mode flushes a
    row once the next begins, so memory stays flat however long the sheet; strings are always
    written as strings, never parsed as formulas or URLs."""
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
            "default_date_format": "yyyy-mm-dd hh:mm",
        },
    )
    bold = book.add_format({"bold": True})
    try:
        for name, rows in sheets:
            sheet = book.add_worksheet(_sheet_name(name))
            if right_to_left:
                sheet.right_to_left()
            for r, row in enumerate(rows):
                if r >= EXCEL_MAX_ROWS:
                    raise TooManyRows(f"more than {EXCEL_MAX_ROWS:,} rows do not fit one sheet; export CSV")
                for c, value in enumerate(row):
                    _write(sheet, r, c, value, bold if r == 0 else None)
            sheet.freeze_panes(1, 0)
    finally:
        book.close()


def _write(sheet, r: int, c: int, value: Any, style) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value, style)
    elif isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return
        sheet.write_number(r, c, value, style)
    elif isinstance(value, datetime):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), style)
    else:
        sheet.write_string(r, c, safe_cell(value)[:EXCEL_MAX_CELL], style)


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    return cleaned[:SHEET_NAME_MAX]


def is_rtl(language: str | None) -> bool:
    return (language or "").split("-")[0].lower() in RTL_LANGUAGES
