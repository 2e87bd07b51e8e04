"""Open links: /o/<survey key>, for receipts and QR codes (see services/open_links.py)."""

from __future__ import annotations

from flask import current_app, redirect, request, session, url_for
from werkzeug.exceptions import TooManyRequests

from feedback.extensions import client_address, csrf
from feedback.services.respond import open_links, responding
from feedback.web.respond import bp, throttle
from feedback.web.respond.pages import (
    best_locale,
    language_links,
    not_found,
    posted_page,
    render_notice,
    render_page,
    stale_form,
    thanks_text,
)


def open_submit_limit() -> str:
    return current_app.config["OPEN_LINK_RATE_LIMIT"]


@bp.get("/o/<key>")
def open_survey(key: str):
    opened = _opened(key)
    if opened is None:
        return not_found()
    survey, version, locale = opened
    if survey.id in session.get("open_done", []):
        return render_notice("respond/notice.html", locale, 200, kind="answered")
    draft = open_links.draft_for(survey, version, locale, _open_response(survey.id))
    return _page(key, draft, draft.current_page(), draft.answers)


@bp.post("/o/<key>")
@csrf.exempt  # checked in the view, as on personal links
@throttle.limited(open_submit_limit, key=lambda: f"{client_address()}:{request.view_args.get('key')}")
def open_submit(key: str):
    opened = _opened(key)
    if opened is None:
        return not_found()
    survey, version, locale = opened
    _survey_ceiling(survey)
    if survey.id in session.get("open_done", []):
        return redirect(url_for(".open_thanks", key=key, lang=locale), 303)
    draft = open_links.draft_for(survey, version, locale, _open_response(survey.id))
    page = posted_page(draft.current_page())
    stale = stale_form(draft, page)
    if stale is not None:
        return _page(key, draft, page, stale[0], notice=stale[1], status=400)
    step = responding.save_page(
        draft, page, request.form.to_dict(flat=False), back=request.form.get("go") == "back"
    )
    if step.kind == "errors":
        return _page(key, draft, page, dict(step.answers), errors=dict(step.errors), status=422)
    pending = dict(session.get("open_responses", {}))
    if step.kind == "saved":
        pending[str(survey.id)] = step.response_id
        session["open_responses"] = pending
        return redirect(url_for(".open_survey", key=key, lang=locale), 303)
    pending.pop(str(survey.id), None)
    session["open_responses"] = pending
    session["open_done"] = [*session.get("open_done", [])[-20:], survey.id]
    session["open_review"] = survey.id if step.review_prompted else None
    return redirect(url_for(".open_thanks", key=key, lang=locale), 303)


def _survey_ceiling(survey) -> None:
    """All submissions to one survey's open link, from any address: the per-address limit alone
    lets anyone with many addresses in. Reaching it is recorded for the survey's staff."""
    try:
        throttle.check(current_app.config["OPEN_LINK_SURVEY_LIMIT"], "open-link-survey", str(survey.id))
    except TooManyRequests:
        open_links.ceiling_reached(survey)
        raise


@bp.get("/o/<key>/thanks")
def open_thanks(key: str):
    opened = _opened(key)
    if opened is None:
        return not_found()
    survey, version, locale = opened
    spec = version.spec
    return render_notice(
        "respond/thanks.html",
        locale,
        message=thanks_text(spec, locale),
        review_url=survey.review_prompt_url if session.get("open_review") == survey.id else None,
        opt_out_url=None,  # an open-link respondent is anonymous: there is no one to opt out
    )


def _opened(key: str):
    """(survey, published version, page language) behind an open link, or None if it is off."""
    found = open_links.open_survey(key)
    if found is None:
        return None
    survey, version = found
    return survey, version, _locale(version.spec)


def _open_response(survey_id: int) -> int | None:
    value = session.get("open_responses", {}).get(str(survey_id))
    return value if isinstance(value, int) else None


def _locale(spec) -> str:
    chosen = request.args.get("lang")
    if chosen in spec.locales:
        return chosen
    return best_locale(spec.locales, spec.default_locale)


def _page(key: str, draft, page: int, answers: dict, **kwargs):
    spec = draft.version.spec
    return render_page(
        spec,
        draft.locale,
        page,
        answers,
        action=url_for(".open_submit", key=key, lang=draft.locale),
        languages=language_links(
            spec.locales, draft.locale, lambda code: url_for(".open_survey", key=key, lang=code)
        ),
        **kwargs,
    )
