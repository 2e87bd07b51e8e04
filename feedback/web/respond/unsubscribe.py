"""Opting out from the link in a message. GET only asks; POST (also RFC 8058 one-click) acts."""

from __future__ import annotations

from flask import request

from feedback.extensions import csrf
from feedback.services.intake import customers
from feedback.services.respond import links
from feedback.web.respond import bp
from feedback.web.respond.pages import not_found, render_notice


@bp.route("/u/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail providers post RFC 8058 one-click requests without a session; the token is the key
def unsubscribe(token: str):
    invitation = links.invitation_for(token)
    if invitation is None:
        return not_found()
    customer = links.customer_for(invitation)
    done = customer.opted_out_at is not None
    if request.method == "POST" and not done:
        customers.opt_out(customer, "email_link" if invitation.channel == "email" else "link")
        done = True
    return render_notice("respond/unsubscribe.html", invitation.locale, done=done, token=token)
