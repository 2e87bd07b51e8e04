"""Public pages for customers: no account, reached through a personal or open link."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respond", __name__)

from feedback.web.respond import open_link, personal, routes, unsubscribe  # noqa: E402,F401 -- registers the views
