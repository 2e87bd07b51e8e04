"""The back office: signed-in staff only; each route also checks a permission."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_login import current_user

from feedback.extensions import login_manager
from feedback.services.accounts import STAFF_LANGUAGES

bp = Blueprint("staff", __name__)
PUBLIC_ENDPOINTS = frozenset({"staff.login", "staff.login_code", "staff.digest_choice"})


@bp.before_request
def require_login():
    if current_user.is_authenticated:
        # The staff member's own language; before they choose one, the browser's (setup.py).
        if current_user.locale in STAFF_LANGUAGES:
            g.locale = current_user.locale
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return login_manager.unauthorized()


from feedback.web.staff import (  # noqa: E402,F401 -- registers the views
    account,
    cases_views,
    comments,
    exports,
    formatting,
    groups_views,
    operations,
    questions,
    routes,
    sending,
    surveys,
    themes_views,
)
