"""/healthz for load balancers and `make serve` checks."""

from __future__ import annotations

from flask import Blueprint, jsonify

from feedback.extensions import csrf, limiter
from feedback.services import health

bp = Blueprint("health", __name__)
csrf.exempt(bp)
limiter.exempt(bp)


@bp.get("/healthz")
def healthz():
    result = health.check()
    body = {
        "status": "ok" if result.ok else "error",
        "database": result.database,
        "revision": result.revision,
    }
    return jsonify(body), 200 if result.ok else 503
