"""REST API v1: JSON in and out, API-key auth, problem+json errors."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, g, request
from limits import parse_many

from feedback.extensions import client_address, csrf, limiter
from feedback.services import accounts
from feedback.web.errors import problem

log = logging.getLogger(__name__)
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
    # Bad keys are counted per client address too: a stream of invented keys, each a new
    # counter of its own, would otherwise cost a lookup apiece and never meet a limit.
    blocked = _auth_failures(hit=False)
    if blocked:
        return problem(
            429, "Too many requests with an invalid API key.", headers={"Retry-After": str(blocked)}
        )
    api_key = accounts.find_api_key(key.strip()) if scheme.lower() == "bearer" else None
    if api_key is None:
        _auth_failures(hit=True)
        return problem(
            401,
            "Send a valid API key as 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="candor"'},
        )
    g.api_key = api_key
    return None


def _auth_failures(*, hit: bool) -> int:
    """Seconds until this address may try again when over ``API_AUTH_FAILURE_LIMIT``, else 0;
    ``hit`` counts one more failure."""
    from flask import current_app

    if not current_app.config["RATELIMIT_ENABLED"]:
        return 0
    strategy = limiter.limiter
    address = client_address()
    for item in parse_many(current_app.config["API_AUTH_FAILURE_LIMIT"]):
        try:
            if hit:
                strategy.hit(item, "api-auth-failure", address)
            elif not strategy.test(item, "api-auth-failure", address):
                reset = strategy.get_window_stats(item, "api-auth-failure", address).reset_time
                return max(1, int(reset - time.time()) + 1)
        except Exception:  # the counter store's own errors; the key check still stands
            log.warning("rate-limit storage failed", exc_info=True)
    return 0


from feedback.web.api import dispatch_routes, docs, insights_routes, openapi, routes  # noqa: E402, F401 -- registers the views


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _limit() -> str:
    from flask import current_app

    return current_app.config.get("API_RATE_LIMIT", "600 per minute")


limiter.limit(_limit, key_func=dispatch_routes.rate_key)(bp)
