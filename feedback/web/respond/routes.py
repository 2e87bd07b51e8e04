"""Respondent views that belong to no survey."""

from __future__ import annotations

from flask import redirect, url_for

from feedback.web.respond import bp
from feedback.web.respond.pages import browser_locale, render_notice


@bp.get("/")
def index():
    return redirect(url_for("staff.dashboard"))


@bp.get("/privacy")
def privacy():
    """The built-in privacy notice, linked when the company has not configured its own."""
    return render_notice("respond/privacy.html", browser_locale())
