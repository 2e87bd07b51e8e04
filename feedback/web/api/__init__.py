"""REST API v1: JSON in and out, API-key auth, problem+json errors."""

from __future__ import annotations

from flask import Blueprint, g, request

from feedback.extensions import csrf
from feedback.services import accounts
from feedback.web.errors import problem

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # API clients authenticate with a bearer key, not a browser session


@bp.before_request
def authenticate():
    if request.endpoint in ("api.openapi",):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    api_key = accounts.find_api_key(key.strip()) if scheme.lower() == "bearer" else None
    if api_key is None:
        return problem(
            401,
            "Send a valid API key as 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="candor"'},
        )
    g.api_key = api_key
    return None


from feedback.web.api import routes  # noqa: E402,F401 -- registers the views
