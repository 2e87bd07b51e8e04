"""API views: parse JSON, call a service, answer JSON."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

import surveys
from feedback.services import sheets
from feedback.services.design import catalog, designing
from feedback.services.errors import ValidationFailed
from feedback.services.insights import export
from feedback.services.reports import exports, results
from feedback.web import downloads
from feedback.web.api import bp, schemas
from feedback.web.errors import problem
from surveys import serialize


def _survey_body(survey, version=None) -> dict:
    version = version or catalog.live_version(survey.id) or designing.draft_version(survey.id)
    return {
        "id": survey.id,
        "key": survey.key,
        "name": survey.name,
        "status": survey.status,
        "version": {"number": version.number, "status": version.status} if version else None,
        "definition": version.definition if version else None,
    }


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


@bp.get("/surveys")
def list_surveys():
    return jsonify(
        {
            "surveys": [
                {"id": s.id, "key": s.key, "name": s.name, "status": s.status} for s in catalog.list_surveys()
            ]
        }
    )


@bp.get("/surveys/<int:survey_id>")
def get_survey(survey_id: int):
    return jsonify(_survey_body(catalog.get_survey(survey_id)))


@bp.get("/surveys/<int:survey_id>/results")
def survey_results(survey_id: int):
    """Results JSON (see DESIGN.md): estimates with intervals, segments, changes and warnings."""
    survey = catalog.get_survey(survey_id)
    args = schemas.query(schemas.ResultsQuery)
    start, end = results.parse_window(request.args.get("from"), request.args.get("to"))
    data = results.build(survey, by=request.args.get("by") or None, start=start, end=end)
    if args.format in ("csv", "xlsx"):
        return downloads.file_response(
            export.result_rows(data),
            args.format,
            downloads.filename(survey.key, "results", fmt=args.format),
            sheet="results",
            right_to_left=sheets.is_rtl(survey.default_locale),
        )
    return jsonify(data)


@bp.get("/responses")
def list_responses():
    """Complete responses, oldest first, a page at a time: ?survey=&since=&cursor=&limit=;
    with format=csv or xlsx, the whole survey as one file."""
    args = schemas.query(schemas.ResponsesQuery)
    survey = request.args.get("survey")
    if args.format in ("csv", "xlsx"):
        if not survey:
            raise ValidationFailed([("survey", "name the survey to export as a file")])
        found = catalog.find_survey(survey)
        return downloads.file_response(
            export.response_rows(found, for_csv=args.format == "csv"),
            args.format,
            downloads.filename(found.key, "responses", fmt=args.format),
            sheet="responses",
            right_to_left=sheets.is_rtl(found.default_locale),
        )
    survey_id = catalog.find_survey(survey).id if survey else None
    since = results.parse_time(request.args.get("since"), "since")
    items, cursor = exports.page(
        survey_id=survey_id,
        since=since,
        cursor=request.args.get("cursor"),
        limit=exports.parse_limit(request.args.get("limit")),
    )
    body = {"responses": items, "next_cursor": cursor}
    if cursor:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        body["next"] = url_for("api.list_responses", cursor=cursor, **args)
    return jsonify(body)


@bp.post("/surveys")
def create_survey():
    """Create a survey from the survey JSON format; ?publish=true publishes it, ?activate=true sends it."""
    if not request.is_json:
        return problem(415, "Send the survey as a JSON body with Content-Type: application/json.")
    schemas.query(schemas.SurveyQuery)
    schemas.body(schemas.SurveyIn)
    data = request.get_json()
    try:
        spec = serialize.from_dict(data, complete=_flag("publish"))
    except surveys.SurveyError as exc:
        raise ValidationFailed(exc.problems, "The survey definition is not valid.") from None
    actor_label = f"api:{g.api_key.name}"
    if _flag("publish"):
        survey = designing.create_published(
            spec, activate=_flag("activate"), override_reason=request.args.get("override_reason")
        )
    else:
        survey = catalog.create_survey(spec)
    findings = [
        {"question": key, **f.to_dict()} for key, found in designing.findings(spec).items() for f in found
    ]
    body = _survey_body(survey) | {"findings": findings, "created_by": actor_label}
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_survey", survey_id=survey.id)
    return response
