"""The words customers receive: invitation and reminder e-mails and SMS, in their language."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

import surveys
from feedback.channels import sms
from feedback.models import Customer, Invitation
from surveys import text_direction


@dataclass(frozen=True)
class Links:
    survey: str
    unsubscribe: str

    def score(self, value: int | str) -> str:
        return f"{self.survey}?score={value}"


def links(token: str) -> Links:
    base = current_app.config["BASE_URL"].rstrip("/")
    return Links(f"{base}/s/{token}", f"{base}/u/{token}")


def first_scale(spec: surveys.Survey, locale: str) -> dict | None:
    """The first question, if it is a rating that can be answered by tapping a link in the message."""
    if not spec.questions:
        return None
    q = spec.questions[0]
    if q.scale is None or q.page != 1:
        return None
    points = [
        {"value": p, "label": q.scale.label_for(p, locale) if q.scale.labels else str(p)}
        for p in q.scale.points
    ]
    return {
        "text": q.text_for(locale, {}),
        "points": points,
        "labelled": bool(q.scale.labels),
        "min_label": None if q.scale.labels else q.scale.label_for(q.scale.min, locale),
        "max_label": None if q.scale.labels else q.scale.label_for(q.scale.max, locale),
    }


def email(
    invitation: Invitation, customer: Customer, spec: surveys.Survey, token: str, *, kind: str = "invitation"
) -> EmailMessage:
    """A multipart (text + HTML) message with List-Unsubscribe (RFC 8058) and an idempotency key."""
    config = current_app.config
    locale = spec.locale_for(invitation.locale)
    link = links(token)
    with force_locale(locale):
        subject = (
            _("Reminder: a quick question about your recent order")
            if kind == "reminder"
            else _("A quick question about your recent order")
        )
        context = {
            "customer": customer,
            "link": link,
            "question": first_scale(spec, locale),
            "company": config["COMPANY_NAME"],
            "privacy_url": config.get("PRIVACY_URL"),
            "lang": locale,
            "dir": text_direction(locale),
            "kind": kind,
            "subject": subject,
        }
        text = render_template("email/invitation.txt", **context)
        html = render_template("email/invitation.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    sender_name, sender_address = parseaddr(config["MAIL_FROM"])
    # Address objects quote a display name ("Team, x@evil.example" stays one name) and refuse
    # CR or LF, so no field of a customer's record can add a header or a recipient.
    message["From"] = address(sender_name or config["COMPANY_NAME"], sender_address)
    message["To"] = address(customer.name or "", customer.email or "")
    key = idempotency_key(invitation, kind)
    domain = sender_address.rpartition("@")[2] or urlsplit(config["BASE_URL"]).hostname or "candor.local"
    message["Message-ID"] = f"<{key}@{domain}>"
    message["X-Candor-Idempotency-Key"] = key
    message["List-Unsubscribe"] = f"<{link.unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after the body: set_content() clears Content-* headers
    return message


def address(name: str, email: str) -> Address:
    username, at, domain = email.rpartition("@")
    if not at or not username or not domain:
        raise ValueError(f"not an e-mail address: {email!r}")
    return Address(display_name=name, username=username, domain=domain)


def sms_text(invitation: Invitation, token: str, *, kind: str = "invitation") -> str:
    """The longest wording that still fits in one SMS segment."""
    company = current_app.config["COMPANY_NAME"]
    link = links(token).survey
    with force_locale(invitation.locale):
        variants = [
            _(
                "%(company)s: how likely are you to recommend us? Answer in a minute: %(link)s "
                "Reply STOP to opt out.",
                company=company,
                link=link,
            ),
            _("%(company)s: how did we do? %(link)s", company=company, link=link),
            _("How did we do? %(link)s", link=link),
            link,
        ]
    if kind == "reminder":
        with force_locale(invitation.locale):
            variants.insert(
                0,
                _(
                    "%(company)s reminder: how did we do? %(link)s Reply STOP to opt out.",
                    company=company,
                    link=link,
                ),
            )
    return next((v for v in variants if sms.segments(v) == 1), variants[-1])


def idempotency_key(invitation: Invitation, kind: str) -> str:
    """The same for every attempt at one message, so a receiver can drop a repeat."""
    return f"candor-{kind}-{invitation.id}"
