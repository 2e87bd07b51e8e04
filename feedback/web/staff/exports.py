"""Downloads for staff: a survey's results or raw responses as CSV or XLSX."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from feedback.services import accounts, sheets
from feedback.services.design import catalog
from feedback.services.insights import export, export_headers
from feedback.services.reports import figure_text, results
from feedback.web import downloads
from feedback.web.auth import permission_required
from feedback.web.staff import bp
from feedback.web.staff.groups_views import SLICES


@bp.get("/surveys/<int:survey_id>/export/<kind>.<fmt>")
@permission_required("view_reports")
def export_file(survey_id: int, kind: str, fmt: str):
    if kind not in ("results", "responses") or fmt not in sheets.FORMATS:
        abort(404)
    survey = catalog.get_survey(survey_id)
    if kind == "results":
        start, end = results.parse_window(request.args.get("from") or None, request.args.get("to") or None)
        where = {f: request.args[f] for f in SLICES if request.args.get(f)}
        data = results.build(survey, by=request.args.get("by") or None, start=start, end=end, where=where)
        rows = export.result_rows(data)
    else:
        rows = export.response_rows(
            survey, masked=not accounts.can(current_user, "see_contacts"), for_csv=fmt == "csv"
        )
    # Right to left for a Persian or Arabic survey, and for a reader of those languages, whose
    # header row is in their language; the cells stay ISO dates and codes.
    rtl = sheets.is_rtl(survey.default_locale) or figure_text.is_rtl()
    rows = export_headers.localized(rows)
    return downloads.file_response(
        rows, fmt, downloads.filename(survey.key, kind, fmt=fmt), sheet=kind, right_to_left=rtl
    )
