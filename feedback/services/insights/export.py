"""Exports as files: raw responses with their themes, and the results a dashboard shows.

Both are generators of rows (the header first), read in keyset batches, so a million
responses stream with flat memory into CSV (``sheets.csv_chunks``) or XLSX
(``sheets.write_xlsx``). Results rows are made from ``reports.results.build``, the one results
function, so an export never disagrees with a dashboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import String, case, func, literal, select, type_coerce

from feedback.extensions import db
from feedback.models import Answer, Comment, CommentTheme, Customer, Question, Response, Survey, SurveyVersion
from feedback.models.segments import FIELD_COLUMNS
from feedback.services import sheets
from feedback.services.errors import ValidationFailed
from feedback.services.insights.masking import mask

BATCH = 5000
SEGMENTS = tuple((f, c) for f, c in FIELD_COLUMNS.items() if f != "locale")
RESPONSE_HEADER = ("response", "submitted_at", "version", "source", "locale", "customer")


def check_format(value: str | None) -> str:
    value = (value or "csv").lower()
    if value not in sheets.FORMATS:
        raise ValidationFailed([("format", f"one of {', '.join(sheets.FORMATS)}")])
    return value


def question_columns(survey_id: int) -> list[str]:
    """Question keys of every version, in the order the latest version asks them; keys that a
    later version dropped follow."""
    rows = db.session.execute(
        select(Question.key, SurveyVersion.number, Question.position)
        .join(SurveyVersion, SurveyVersion.id == Question.version_id)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.number.desc(), Question.position)
    )
    return list(dict.fromkeys(key for key, _, _ in rows))


def response_rows(
    survey: Survey, *, masked: bool = False, for_csv: bool = False
) -> Iterator[tuple[Any, ...]]:
    """Every complete response of ``survey``, oldest first: one column per question key, then
    its themes as ``code:polarity`` joined by "; ". ``masked`` hides the e-mail addresses and
    phone numbers customers typed, for readers without contact permission."""
    keys = question_columns(survey.id)
    qcolumn = _question_index(survey.id, keys)
    yield (*RESPONSE_HEADER, *(f for f, _ in SEGMENTS), *keys, "themes")
    r, a = Response.__table__.c, Answer.__table__.c
    after = 0
    width = len(keys)
    # Core rows on the session's connection: the ORM's row loading costs more than the export.
    conn = db.session.connection()
    # For CSV, SQLite's stored text is spelled as the CSV writes a datetime; XLSX keeps date cells.
    submitted = _iso_text(r.submitted_at) if for_csv and conn.dialect.name == "sqlite" else r.submitted_at
    while True:
        batch = conn.execute(
            select(
                r.id,
                submitted,
                SurveyVersion.number,
                r.source,
                r.locale,
                Customer.external_id,
                *(r[c] for _, c in SEGMENTS),
            )
            .select_from(Response.__table__)
            .join(SurveyVersion, SurveyVersion.id == r.version_id)
            .outerjoin(Customer, Customer.id == r.customer_id)
            .where(r.survey_id == survey.id, r.status == "complete", r.id > after)
            .order_by(r.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        low, high = batch[0][0], batch[-1][0]
        cells: dict[int, list] = {row[0]: [None] * width for row in batch}
        answers = conn.execute(
            select(a.response_id, a.question_id, a.number, a.text, a.choices).where(
                a.response_id.between(low, high)
            )
        )
        for response_id, question_id, number, text, choices in answers:
            row = cells.get(response_id)
            if row is None:
                continue
            value = _value(number, text, choices)
            if masked and isinstance(value, str):
                value = mask(value)
            row[qcolumn[question_id]] = value
        themes = _themes(conn, low, high)
        for head in batch:
            yield (*head, *cells[head[0]], themes.get(head[0], ""))
        after = high


def _question_index(survey_id: int, keys: list[str]) -> dict[int, int]:
    position = {k: i for i, k in enumerate(keys)}
    rows = db.session.execute(
        select(Question.id, Question.key)
        .join(SurveyVersion, SurveyVersion.id == Question.version_id)
        .where(SurveyVersion.survey_id == survey_id)
    )
    return {qid: position[key] for qid, key in rows}


def _value(number, text, choices) -> Any:
    if choices is not None:
        joined = "; ".join(map(str, choices))
        return f"{joined}; {text}" if text else joined
    if number is not None:
        return int(number) if float(number).is_integer() else number
    return text


def _iso_text(column):
    """SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' text: spelled as ``isoformat()`` would
    spell the aware datetime (no fraction when it is zero), in SQL, so a million rows skip
    building a datetime each."""
    raw = type_coerce(column, String)
    fraction = func.substr(raw, 21, type_=String)
    whole = func.substr(raw, 1, 10, type_=String) + literal("T") + func.substr(raw, 12, 8, type_=String)
    shown = case(
        (func.coalesce(fraction, "").in_(["", "000000"]), literal("")), else_=literal(".") + fraction
    )
    return whole + shown + literal("+00:00")


def _themes(conn, low: int, high: int) -> dict[int, str]:
    c, t = Comment.__table__.c, CommentTheme.__table__.c
    rows = conn.execute(
        select(c.response_id, t.code, t.polarity)
        .select_from(Comment.__table__)
        .join(CommentTheme.__table__, t.comment_id == c.id)
        .where(c.response_id.between(low, high))
        .order_by(c.response_id, t.code)
    )
    out: dict[int, list[str]] = {}
    for response_id, code, polarity in rows:
        out.setdefault(response_id, []).append(f"{code}:{polarity}")
    return {k: "; ".join(v) for k, v in out.items()}


RESULT_HEADER = ("section", "metric", "segment", "period", "value", "low", "high", "n", "note")


def result_rows(data: dict) -> Iterator[tuple[Any, ...]]:
    """The results JSON as one tidy table: the overall figures, each month, each segment, each
    change with its p-value, and each warning, in that order."""
    yield RESULT_HEADER
    for name, e in data.get("metrics", {}).items():
        yield ("overall", name, "", _window(data), *_estimate(e), e.get("method", ""))
    if data.get("response_rate"):
        rr = data["response_rate"]
        note = f"{data['responded']} of {data['invited']} invited; Wilson score interval"
        yield ("overall", "response_rate", "", _window(data), rr["value"], rr["low"], rr["high"], "", note)
    for p in data.get("periods", []):
        for name, e in p["metrics"].items():
            yield ("month", name, "", p["period"], *_estimate(e), "")
    for s in data.get("segments", []):
        for name, e in s["metrics"].items():
            vs = e.get("vs_rest") or {}
            note = ""
            if vs:
                verdict = "differs" if vs.get("significant") else "no clear difference"
                note = (
                    f"against the rest {vs['difference']:+.1f}, Holm p {vs.get('p_adjusted', '')}: {verdict}"
                )
            yield (f"by {data.get('by') or ''}".strip(), name, s["key"], "", *_estimate(e), note)
    for ch in data.get("changes", []):
        verdict = "significant" if ch["significant"] else "within chance"
        yield (
            "change",
            ch["metric"],
            "",
            f"{ch['from_period']} → {ch['to_period']}",
            ch["difference"],
            ch["low"],
            ch["high"],
            "",
            f"p {ch['p_value']}: {verdict}",
        )
    for w in data.get("warnings", []):
        yield ("warning", w.get("metric", ""), w.get("segment", ""), "", "", "", "", "", w["message"])


def _estimate(e: dict) -> tuple:
    if e.get("suppressed") or e.get("value") is None:
        return ("", "", "", e.get("n", 0))
    return (e["value"], e["low"], e["high"], e["n"])


def _window(data: dict) -> str:
    if data.get("from") or data.get("to"):
        return f"{data.get('from') or '…'} – {data.get('to') or '…'}"
    return "all"


def save(rows, fmt: str, target, *, sheet: str, right_to_left: bool = False) -> None:
    """``rows`` into ``target`` (a path or a binary file) as CSV or XLSX."""
    if fmt == "xlsx":
        sheets.write_xlsx([(sheet, rows)], target, right_to_left=right_to_left)
        return
    if isinstance(target, str):
        with open(target, "wb") as out:
            for chunk in sheets.csv_chunks(rows):
                out.write(chunk.encode("utf-8"))
    else:
        for chunk in sheets.csv_chunks(rows):
            target.write(chunk.encode("utf-8"))
