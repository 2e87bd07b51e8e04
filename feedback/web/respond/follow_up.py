"""The one-question page after a resolved case: /f/<token>, "Did we fix it?".

GET only shows the question (mail scanners open every link; ``?answer=`` preselects the
choice tapped in the message). POST stores the answer once; the link is single-use.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext as _

from feedback.extensions import csrf
from feedback.services.insights import followup
from feedback.web.respond import bp
from feedback.web.respond.pages import fresh_form, not_found, render_notice

CHOICES = ("yes", "partly", "no")


@bp.get("/f/<token>")
def follow_up(token: str):
    seen = followup.visit(token)
    if seen.state != "open":
        return _not_open(token, seen)
    chosen = request.args.get("answer")
    return _page(token, seen.locale, chosen if chosen in CHOICES else None)


@bp.post("/f/<token>")
@csrf.exempt  # checked in the view, so that a page left open too long is shown again
def follow_up_answer(token: str):
    seen = followup.visit(token)
    if seen.state != "open":
        return _not_open(token, seen)
    chosen = request.form.get("answer")
    if not fresh_form():
        notice = _("This page was open for a long time. Please send your answer again.")
        return _page(token, seen.locale, chosen if chosen in CHOICES else None, notice=notice, status=400)
    if chosen not in CHOICES:
        return _page(token, seen.locale, None, error=_("Please choose one of the options."), status=422)
    followup.answer(token, chosen)
    return redirect(url_for(".follow_up", token=token), 303)


def _page(token: str, locale: str, chosen: str | None, *, notice=None, error=None, status: int = 200):
    return render_notice(
        "respond/follow_up.html",
        locale,
        status,
        token=token,
        chosen=chosen,
        notice=notice,
        error=error,
    )


def _not_open(token: str, seen):
    if seen.state == "unknown":
        return not_found()
    if seen.state == "answered":
        return render_notice("respond/follow_up_done.html", seen.locale, answer=seen.answer)
    return render_notice("respond/notice.html", seen.locale, 410, kind="closed")
