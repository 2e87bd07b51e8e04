"""E-mails to staff about cases and alerts: short, in the reader's language, with a link."""

from __future__ import annotations

import logging
from email.message import EmailMessage

from flask import current_app

from feedback.channels import SendFailure, email_sender
from feedback.models import StaffUser

log = logging.getLogger(__name__)


def sender():
    return email_sender(current_app.config)


def mail(transport, user: StaffUser, subject: str, body: str, path: str) -> bool:
    """Send one message; a failure is logged and reported as False, never raised."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = user.email
    message["Subject"] = subject
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    message.set_content(f"{body}\n\n{base}{path}\n")
    try:
        transport.send(message)
    except SendFailure as exc:
        log.warning("e-mail to %s failed: %s", user.email, exc)
        return False
    return True
