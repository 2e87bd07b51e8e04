"""Answering through a personal link: /s/<token>.

GET stores no answer: mail-security scanners open every link in a message, so nothing of the
customer's is stored until they submit a page. The first GET only stamps the invitation's
``opened_at``, which is why opens are reported as an upper bound. The POST checks CSRF
itself, so that a page left open too long is shown again with its answers instead of being
thrown away.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for

from feedback.extensions import csrf
from feedback.services.respond import links, responding
from feedback.services.respond.published import published
from feedback.web.respond import bp
from feedback.web.respond.pages import (
    fresh_form,
    not_found,
    posted_page,
    render_notice,
    render_page,
    stale_form,
    thanks_text,
)

REMEMBERED = 10  # submissions a browser remembers, to show the review link on its own thank-you page


@bp.get("/s/<token>")
def survey(token: str):
    visit = links.visit(token)
    if visit.state != "open":
        return _not_open(visit)
    links.record_open(visit)
    draft = visit.draft
    answers = responding.preselect(draft, request.args.get("score"))
    return _page(token, visit, draft.current_page(), answers)


@bp.post("/s/<token>")
@csrf.exempt  # checked in the view, see the module docstring
def submit(token: str):
    fresh = fresh_form()
    form = request.form.to_dict(flat=False)
    back = request.form.get("go") == "back"
    if fresh:
        done = links.submit_at_once(token, request.form.get("version"), posted_page(1), form, back=back)
        if done is not None:
            return _submitted(token, done)
    visit = links.visit(token)
    if visit.state == "answered":
        return redirect(url_for(".thanks", token=token), 303)
    if visit.state != "open":
        return _not_open(visit)
    draft = visit.draft
    page = posted_page(draft.current_page())
    stale = stale_form(draft, page, fresh)
    if stale is not None:
        return _page(token, visit, page, stale[0], notice=stale[1], status=400)
    step = responding.save_page(
        draft,
        page,
        form,
        back=back,
        on_submit=links.on_submit(visit.invitation),
    )
    if step.kind == "errors":
        return _page(token, visit, page, dict(step.answers), errors=dict(step.errors), status=422)
    if step.kind in ("submitted", "already_submitted"):
        return _submitted(token, step)
    return redirect(url_for(".survey", token=token), 303)


def _submitted(token: str, step):
    if step.kind == "submitted" and step.review_prompted:
        remember(step.response_id)  # only the review link needs it; a session write is not free
    return redirect(url_for(".thanks", token=token), 303)


@bp.get("/s/<token>/thanks")
def thanks(token: str):
    visit = links.visit(token)
    if visit.state == "open":
        return redirect(url_for(".survey", token=token), 303)
    if visit.state != "answered":
        return _not_open(visit)
    invitation = visit.invitation
    spec = published(invitation.version_id).spec if invitation.version_id else None
    locale = invitation.locale if spec is None else spec.locale_for(invitation.locale)
    customer = links.customer_for(invitation)
    return render_notice(
        "respond/thanks.html",
        locale,
        message=thanks_text(spec, locale),
        review_url=visit.review_url if visit.review_prompted and _remembered(visit.response_id) else None,
        opt_out_url=None if customer.opted_out else url_for(".unsubscribe", token=token),
    )


def remember(response_id: int | None) -> None:
    if response_id is None:
        return
    mine = [r for r in session.get("submitted", []) if r != response_id][-(REMEMBERED - 1) :]
    session["submitted"] = [*mine, response_id]


def _remembered(response_id: int | None) -> bool:
    return response_id is not None and response_id in session.get("submitted", [])


def _page(token: str, visit, page: int, answers: dict, **kwargs):
    draft = visit.draft
    return render_page(
        draft.version.spec,
        draft.locale,
        page,
        answers,
        action=url_for(".submit", token=token),
        seed=str(visit.invitation.id),
        expires_at=visit.expires_at,
        version_id=draft.version.version_id,
        **kwargs,
    )


def _not_open(visit):
    if visit.state == "unknown":
        return not_found()
    locale = visit.invitation.locale
    if visit.state == "answered":
        return render_notice("respond/notice.html", locale, 200, kind="answered")
    return render_notice("respond/notice.html", locale, 410, kind="closed")
