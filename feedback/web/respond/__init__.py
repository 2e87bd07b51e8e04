"""Public pages for customers: no account, reached through a personal or open link."""

from __future__ import annotations

from flask import Blueprint, g

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


from feedback.web.respond import open_link, personal, routes, unsubscribe  # noqa: E402,F401 -- registers the views
from feedback.web.respond.pages import public_limit  # noqa: E402

# Every public page is limited per client and per page. Set on the blueprint, the limit is
# checked once per request; a view with limits of its own (the open-link submit) replaces it.
limiter.limit(public_limit)(bp)
