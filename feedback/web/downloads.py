"""Files for download: CSV streamed as it is made, XLSX built in a temporary file."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response, stream_with_context

from feedback.services import sheets
from feedback.services.errors import ValidationFailed

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(*parts: str, fmt: str) -> str:
    stem = "-".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", p).strip("_") for p in parts if p) or "export"
    return f"{stem[:120]}.{fmt}"


def file_response(
    rows: Iterable[Sequence[Any]], fmt: str, name: str, *, sheet: str, right_to_left: bool = False
) -> Response:
    if fmt == "csv":
        response = Response(stream_with_context(sheets.csv_chunks(rows)), mimetype=MIMETYPES["csv"])
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # XlsxWriter writes a zip, which needs the whole file before it can be sent; the rows
    # themselves still pass through in constant memory.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- closed when the response is
    try:
        sheets.write_xlsx([(sheet, rows)], spool, right_to_left=right_to_left)
    except sheets.TooManyRows as exc:
        spool.close()
        raise ValidationFailed([("format", str(exc))], "Too many rows for one spreadsheet.") from None
    size = spool.seek(0, 2)
    spool.seek(0)
    response = Response(_drain(spool), mimetype=MIMETYPES["xlsx"])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Length"] = str(size)
    return response


def _drain(spool, chunk: int = 1 << 16):
    # A generator's finally runs when it is exhausted, closed or collected, so the file is
    # closed even by a client that never reads the whole body.
    try:
        while block := spool.read(chunk):
            yield block
    finally:
        spool.close()
