"""Respondent views."""

from __future__ import annotations

from flask import redirect, url_for

from feedback.web.respond import bp


@bp.get("/")
def index():
    return redirect(url_for("staff.dashboard"))
