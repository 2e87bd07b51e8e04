"""API views."""

from __future__ import annotations

from flask import jsonify

from feedback.services import catalog
from feedback.web.api import bp


def _survey_summary(survey) -> dict:
    return {"id": survey.id, "key": survey.key, "name": survey.name, "status": survey.status}


@bp.get("/surveys")
def list_surveys():
    return jsonify({"surveys": [_survey_summary(s) for s in catalog.list_surveys()]})


@bp.get("/surveys/<int:survey_id>")
def get_survey(survey_id: int):
    survey = catalog.get_survey(survey_id)
    version = catalog.live_version(survey.id)
    body = _survey_summary(survey)
    body["version"] = version.number if version else None
    body["definition"] = version.definition if version else None
    return jsonify(body)
