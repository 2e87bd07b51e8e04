"""Public pages for customers: no account, reached through a personal or open link."""

from __future__ import annotations

from flask import Blueprint, g, request
from werkzeug.exceptions import TooManyRequests

from feedback.extensions import limiter, login_manager

bp = Blueprint("respond", __name__)


@bp.before_request
def _no_staff_login() -> None:
    """Respondent pages never act as a signed-in staff member.

    Flask-Login would otherwise load the staff user for every template and, finding none,
    rewrite the session cookie on each page: needless work, and a cookie a customer
    should not be sent.
    """
    g._login_user = login_manager.anonymous_user()


from feedback.web.respond import (  # noqa: E402,F401
    follow_up,
    open_link,
    personal,
    routes,
    throttle,
    unsubscribe,
)

# Every public page is limited per client and per page, by throttle.py rather than by
# Flask-Limiter's per-request resolution (see there why); Flask-Limiter skips these pages.
bp.before_request(throttle.public_page)
limiter.request_filter(lambda: request.blueprint == bp.name)


@bp.errorhandler(TooManyRequests)
def _too_many(exc: TooManyRequests):
    """A respondent who hits a limit is told so in their language, and when to come back."""
    from feedback.web.respond.pages import browser_locale, render_notice

    html, status = render_notice("respond/notice.html", browser_locale(), 429, kind="busy")
    return html, status, {k: v for k, v in exc.get_headers() if k == "Retry-After"}


@bp.after_request
def _no_store(response):
    # A personal link's page holds the customer's answers: no browser or proxy keeps a copy.
    response.headers.setdefault("Cache-Control", "no-store")
    return response
