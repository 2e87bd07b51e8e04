"""Rendering a survey page for a respondent; the builder's preview uses the very same code."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template
from flask_babel import gettext as _
from flask_babel import refresh

import surveys
from surveys.form import page_view


def use_locale(locale: str) -> None:
    """Switch the interface language for the rest of this request."""
    g.locale = locale
    refresh()


def error_messages() -> dict[str, str]:
    return {
        "required": _("Please answer this question."),
        "invalid": _("Please choose one of the options."),
        "too_long": _("Your answer is too long."),
        "other_missing": _("Please describe your “Other” answer."),
    }


def render_page(
    spec: surveys.Survey,
    locale: str,
    page: int,
    answers: dict[str, Any],
    *,
    action: str,
    errors: dict[str, str] | None = None,
    seed: str = "",
    banner: dict | None = None,
    status: int = 200,
):
    view = page_view(spec, locale, page, answers, errors, seed)
    use_locale(view.locale)
    html = render_template(
        "respond/page.html",
        view=view,
        page=page,
        action=action,
        messages=error_messages(),
        banner=banner,
        privacy_url=current_app.config.get("PRIVACY_URL"),
    )
    return html, status
