"""Opting out from the link in a message. GET only asks; POST (also RFC 8058 one-click) acts."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from feedback.extensions import csrf, limiter
from feedback.services import customers, links
from feedback.web.respond import bp
from feedback.web.respond.pages import use_locale


def _public_limit() -> str:
    return current_app.config["PUBLIC_RATE_LIMIT"]


@bp.route("/u/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail providers post RFC 8058 one-click requests without a session; the token is the key
@limiter.limit(_public_limit)
def unsubscribe(token: str):
    invitation = links.invitation_for(token)
    if invitation is None:
        abort(404, description="This link is not valid.")
    customer = links.customer_for(invitation)
    use_locale(invitation.locale)
    done = customer.opted_out_at is not None
    if request.method == "POST" and not done:
        customers.opt_out(customer, "email_link" if invitation.channel == "email" else "link")
        done = True
    return render_template(
        "respond/unsubscribe.html",
        done=done,
        token=token,
        privacy_url=current_app.config.get("PRIVACY_URL"),
        page_locale=invitation.locale,
        page_dir="rtl" if invitation.locale in ("fa", "ar") else "ltr",
    )
