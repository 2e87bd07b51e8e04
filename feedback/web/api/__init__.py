"""REST API v1: JSON in and out, API-key auth, problem+json errors."""

from __future__ import annotations

from flask import Blueprint, g, request

from feedback.extensions import csrf, limiter
from feedback.services import accounts
from feedback.web.errors import problem

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # API clients authenticate with a bearer key, not a browser session


@bp.before_request
def authenticate():
    if request.endpoint in ("api.openapi", "api.docs", "api.docs_asset"):
        return None
    if request.endpoint == "api.sms_inbound":
        from feedback.web.api.dispatch_routes import gateway_authorised, unauthorised_webhook

        return None if gateway_authorised() else unauthorised_webhook()
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


from feedback.web.api import dispatch_routes, docs, openapi, routes  # noqa: E402,F401 -- registers the views


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _limit() -> str:
    from flask import current_app

    return current_app.config.get("API_RATE_LIMIT", "600 per minute")


limiter.limit(_limit, key_func=dispatch_routes.rate_key)(bp)
