"""E-mails to staff about cases and alerts: short, in the reader's language, with a link."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from typing import TypeVar

from flask import current_app
from flask_babel import force_locale

from feedback.channels import SendFailure, email_sender
from feedback.models import StaffUser

log = logging.getLogger(__name__)
T = TypeVar("T")


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


def deliver(
    items: Iterable[T],
    *,
    recipients: Callable[[T], Iterable[StaffUser]],
    compose: Callable[[T, StaffUser], tuple[str, str]],
    path: Callable[[T], str],
    delivered: Callable[[T], None],
    transport=None,
) -> int:
    """Mail each item to each of its recipients, composed in the recipient's language.

    An item is marked ``delivered`` only when all its messages went; at the first failure
    the item's other recipients wait for the next run (so nobody gets it twice). Returns
    the number of messages sent."""
    transport = transport or sender()
    sent = 0
    for item in items:
        ok = True
        for user in recipients(item):
            with force_locale(user.locale or "en"):
                subject, body = compose(item, user)
            if not mail(transport, user, subject, body, path(item)):
                ok = False
                break
            sent += 1
        if ok:
            delivered(item)
    return sent
