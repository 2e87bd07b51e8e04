"""Errors in one place: HTML pages for people, problem+json (RFC 9457) for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from feedback.extensions import db
from feedback.services.errors import DomainError

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Sign-in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Unavailable",
}


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(
    status: int, detail: str, *, errors: list[tuple[str, str]] | None = None, headers: dict | None = None
) -> Response:
    body = {
        "type": f"https://candor.dev/problems/{status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": f, "message": m} for f, m in errors]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _page(status: int, detail: str) -> tuple[str, int]:
    return render_template(
        "errors/error.html", status=status, title=TITLES.get(status, "Error"), detail=detail
    ), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        detail = "The form expired or was sent from elsewhere. Reload the page and try again."
        return problem(400, detail) if wants_problem_json() else _page(400, detail)

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        errors = exc.errors
        if wants_problem_json():
            return problem(exc.status, exc.message, errors=errors)
        return _page(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        detail = exc.description or TITLES.get(status, "")
        headers = dict(exc.get_headers()) if status in (405, 429) else {}
        headers.pop("Content-Type", None)
        if wants_problem_json():
            return problem(status, detail, headers=headers)
        body, code = _page(status, detail)
        return body, code, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Never leave a half-done transaction behind a 500.
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise exc
        detail = InternalServerError.description
        return problem(500, detail) if wants_problem_json() else _page(500, detail)
