"""Errors in one place: HTML pages for people, problem+json (RFC 9457) for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext
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


def _page_titles() -> dict[int, str]:
    # The same titles as TITLES, for people: problem+json keeps the English ones.
    return {
        400: gettext("Bad request"),
        401: gettext("Sign-in required"),
        403: gettext("Not allowed"),
        404: gettext("Not found"),
        405: gettext("Method not allowed"),
        409: gettext("Conflict"),
        410: gettext("Gone"),
        413: gettext("Too large"),
        415: gettext("Unsupported media type"),
        422: gettext("Invalid input"),
        429: gettext("Too many requests"),
        500: gettext("Something went wrong"),
        503: gettext("Unavailable"),
    }


def _plain_details() -> dict[int, str]:
    """What a page says instead of werkzeug's own (English) description of a status."""
    return {
        400: gettext("The request could not be understood. Go back and try again."),
        401: gettext("Sign in to see this page."),
        403: gettext("You are not allowed to see this page."),
        404: gettext("There is nothing at this address. Check the link or go back."),
        405: gettext("This page does not accept that kind of request."),
        410: gettext("This page is no longer here."),
        413: gettext("What was sent is too large."),
        415: gettext("What was sent is not in a form this page reads."),
        429: gettext("Too many requests. Wait a moment and try again."),
        500: gettext("Something went wrong on our side. Try again in a moment."),
        503: gettext("This service is unavailable for a moment. Try again shortly."),
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


def _page(status: int, detail: str | None) -> tuple[str, int]:
    """An HTML error page in the reader's language; ``detail`` None means the status's own words."""
    title = _page_titles().get(status) or gettext("Error")
    shown = detail if detail else _plain_details().get(status, title)
    return render_template("errors/error.html", status=status, title=title, detail=shown), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        if wants_problem_json():
            return problem(400, "The form expired or was sent from elsewhere. Reload the page and try again.")
        return _page(
            400, gettext("The form expired or was sent from elsewhere. Reload the page and try again.")
        )

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
        # werkzeug's own descriptions are English; a page says its own words instead.
        own = exc.description if exc.description and exc.description != type(exc).description else None
        body, code = _page(status, own)
        return body, code, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Never leave a half-done transaction behind a 500.
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise exc
        if wants_problem_json():
            return problem(500, InternalServerError.description)
        return _page(500, None)
