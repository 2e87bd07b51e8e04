"""Permission checks for staff routes: every view declares what it needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_babel import gettext
from flask_login import current_user

from feedback.services import accounts


def permission_required(permission: str) -> Callable:
    """Refuse with 403 unless the signed-in user's role grants ``permission``."""
    accounts.PERMISSIONS[permission]  # fail at import time on a typo

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not accounts.can(current_user, permission):
                abort(403, description=gettext("Your role does not allow this page."))
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorate


def can(permission: str) -> bool:
    return accounts.can(current_user, permission)
