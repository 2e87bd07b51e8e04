"""Rendering a survey page for a respondent; the builder's preview uses the very same code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf.csrf import CSRFError

import surveys
from feedback import formats
from feedback.extensions import csrf
from feedback.setup import LOCALES, reader_locale
from surveys import text_direction
from surveys.form import merge_page, page_view, parse_page

LANGUAGE_NAMES = {"en": "English", "fa": "فارسی", "ar": "العربية", "ru": "Русский"}


LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2})?")


def use_locale(locale: str) -> None:
    """Switch the interface language for the rest of this request."""
    g.locale = locale
    refresh()


def best_locale(available: Sequence[str], default: str) -> str:
    return request.accept_languages.best_match(list(available)) or default


def browser_locale() -> str:
    """The interface language the browser prefers, for pages that belong to no customer."""
    return best_locale(LOCALES, "en")


def not_found():
    """The one answer for every link that leads nowhere: the same words whatever was wrong."""
    return render_notice("respond/notice.html", browser_locale(), 404, kind="unknown")


def thanks_text(spec: surveys.Survey | None, locale: str) -> str | None:
    return spec.thanks.get(locale) if spec is not None and spec.thanks is not None else None


def privacy_url() -> str:
    """The company's privacy notice, or the built-in one when none is configured."""
    return current_app.config.get("PRIVACY_URL") or url_for("respond.privacy")


def error_messages() -> dict[str, str]:
    return {
        "required": _("Please answer this question."),
        "invalid": _("Please choose one of the options."),
        "too_long": _(
            "Your answer is longer than the limit shown with it. It is still here: please shorten it."
        ),
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
    notice: str | None = None,
    expires_at: datetime | None = None,
    languages: list[tuple[str, str, str]] | None = None,
    version_id: int | None = None,
):
    view = page_view(spec, locale, page, answers, errors, seed)
    use_locale(view.locale)
    intro = spec.intro.get(view.locale) if spec.intro is not None and view.number == 1 else None
    html = render_template(
        "respond/page.html",
        view=view,
        page=page,
        action=action,
        messages=error_messages(),
        banner=banner,
        intro=intro,
        notice=notice,
        until=formats.long_date(expires_at, reader_locale()) if expires_at else None,
        languages=languages or [],
        privacy_url=privacy_url(),
        version_id=version_id,
    )
    return html, status


def render_notice(template: str, locale: str, status: int = 200, **context):
    """A page without a survey on it (thank you, already answered, closed, not found)."""
    base = str(locale or "en").replace("_", "-").split("-")[0]
    if base not in LOCALES:
        locale = "en"
    elif not LOCALE.fullmatch(str(locale)):
        locale = base
    use_locale(locale)
    html = render_template(
        template,
        page_locale=locale,
        page_dir=text_direction(locale),
        privacy_url=privacy_url(),
        **context,
    )
    return html, status


def language_links(locales: Sequence[str], current: str, url_for_locale) -> list[tuple[str, str, str]]:
    """(code, name, url) for each other language the survey is written in."""
    if len(locales) < 2:
        return []
    return [
        (code, LANGUAGE_NAMES.get(code, code), url_for_locale(code)) for code in locales if code != current
    ]


def posted_page(default: int) -> int:
    try:
        number = int(request.form.get("page") or "")
    except ValueError:
        return default
    return number if 1 <= number <= 100 else default


def fresh_form() -> bool:
    """Whether the POST carries a valid CSRF token.

    Respondent forms check CSRF in the view rather than before it, so that a page left open
    past the token's lifetime comes back with its answers instead of an error page.
    """
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


def stale_form(draft, page: int, fresh: bool | None = None) -> tuple[dict[str, Any], str] | None:
    """None when the POST carries a valid CSRF token (``fresh``, if already checked); else
    the posted answers to show again, with a notice."""
    if not (fresh_form() if fresh is None else fresh):
        spec = draft.version.spec
        parsed = parse_page(spec, page, request.form.to_dict(flat=False), draft.answers)
        notice = _("This page was open for a long time. Your answers are still here: please send them again.")
        return merge_page(spec, page, draft.answers, parsed.answers), notice
    return None
