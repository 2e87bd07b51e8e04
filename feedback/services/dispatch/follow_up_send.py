"""Sending the due "Did we fix it?" follow-ups, by e-mail or SMS, in the worker run.

The checks of scheduling are made again at sending time, since a day may have passed: an
opt-out since then suppresses it, and so does an invitation sent in between (fatigue). As
with invitations, delivery is at least once: a follow-up is marked sent after the server
accepted it, and a resend carries the same link and idempotency key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from feedback.channels import PermanentFailure, TemporaryFailure, email_sender
from feedback.channels import sms as sms_channel
from feedback.channels.sms import HttpSmsSender
from feedback.extensions import db
from feedback.models import Case, CaseFollowUp, Customer, DispatchRule, Invitation
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.dispatch import follow_up_plan, outbox
from feedback.services.dispatch.messages import address
from surveys import text_direction

log = logging.getLogger(__name__)
BATCH = 200


@dataclass
class Sent:
    scheduled: int = 0
    sent: int = 0
    suppressed: int = 0
    failed: int = 0
    retried: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)


def send_due(now: datetime | None = None, *, mail=None, sms=None) -> Sent:
    """Schedule the follow-ups that recent resolved closes call for, then send every one whose
    time has come: one at a time, each in its own transaction, claimed with SKIP LOCKED so
    that several workers share them."""
    now = now or utcnow()
    result = Sent(scheduled=follow_up_plan.schedule_pending(now))
    config = current_app.config
    for _attempt in range(BATCH):
        item = db.session.scalar(
            select(CaseFollowUp)
            .where(CaseFollowUp.status == "scheduled", CaseFollowUp.send_at <= now)
            .order_by(CaseFollowUp.send_at, CaseFollowUp.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if item is None:
            break
        customer = db.session.get(Customer, item.customer_id)
        origin = db.session.get(Invitation, item.invitation_id) if item.invitation_id else None
        rule = db.session.scalar(select(DispatchRule).where(DispatchRule.survey_id == _survey_of(item)))
        if item.expires_at is not None and item.expires_at <= now:
            item.status = "expired"
            db.session.commit()
            continue
        reason = follow_up_plan.suppression(item, customer, rule, origin, now)
        if reason:
            item.status, item.suppression_reason = "suppressed", reason
            result.suppressed += 1
            db.session.commit()
            continue
        item.attempts += 1
        try:
            _send(item, customer, origin, mail, sms, config)
        except TemporaryFailure as exc:
            _later(item, now, str(exc), result)
        except PermanentFailure as exc:
            _fall_back(item, customer, rule, str(exc), result)
        else:
            item.status, item.sent_at = "sent", now
            customer.last_invited_at = now  # later invitations see it in their fatigue window
            result.sent += 1
            result.by_channel[item.channel] = result.by_channel.get(item.channel, 0) + 1
        db.session.commit()
    return result


def _survey_of(item: CaseFollowUp) -> int | None:
    return db.session.scalar(select(Case.survey_id).where(Case.id == item.case_id))


def _later(item: CaseFollowUp, now: datetime, error: str, result: Sent) -> None:
    item.last_error = error[:2000]
    if item.attempts >= outbox.MAX_ATTEMPTS:
        item.status = "failed"
        result.failed += 1
    else:
        item.send_at = now + outbox.backoff(item.attempts)
        result.retried += 1


def _fall_back(item: CaseFollowUp, customer: Customer, rule, error: str, result: Sent) -> None:
    item.last_error = error[:2000]
    order = (rule.channels if rule else "email").split(",")
    later = order[order.index(item.channel) + 1 :] if item.channel in order else []
    fallback = next((c for c in later if (customer.email if c == "email" else customer.phone)), None)
    if fallback:
        item.channel = fallback
        result.retried += 1
    else:
        item.status = "failed"
        result.failed += 1


def _send(item, customer, origin, mail, sms, config) -> None:
    token = follow_up_plan.link_token(item.token_nonce)
    if item.channel == "email":
        try:
            message = email(item, customer, origin, token)
        except (ValueError, TypeError, UnicodeError, LookupError) as exc:
            raise PermanentFailure(f"cannot build the message: {exc}") from exc
        (mail or email_sender(config)).send(message)
    elif item.channel == "sms":
        url = config.get("SMS_GATEWAY_URL")
        sender = sms or (HttpSmsSender(url, config.get("SMS_GATEWAY_TOKEN")) if url else None)
        if sender is None:
            raise PermanentFailure("no SMS gateway configured (FEEDBACK_SMS_GATEWAY_URL)")
        sender.send(customer.phone, sms_text(item, token), idempotency_key(item))
    else:
        raise PermanentFailure(f"unknown channel {item.channel!r}")


def links(token: str) -> dict[str, str]:
    base = current_app.config["BASE_URL"].rstrip("/")
    page = f"{base}/f/{token}"
    return {"page": page, **{choice: f"{page}?answer={choice}" for choice in ("yes", "partly", "no")}}


def idempotency_key(item: CaseFollowUp) -> str:
    return f"candor-follow-up-{item.id}"


def email(item: CaseFollowUp, customer: Customer, origin: Invitation | None, token: str) -> EmailMessage:
    """Text and HTML, with the three answers as links that open the page with one preselected."""
    config = current_app.config
    link = links(token)
    unsubscribe = None
    if origin is not None and origin.token_nonce:
        unsubscribe = f"{config['BASE_URL'].rstrip('/')}/u/{tokens.link_token(origin.token_nonce)}"
    with force_locale(item.locale):
        subject = _("Did we fix it?")
        context = {
            "customer": customer,
            "link": link,
            "unsubscribe": unsubscribe,
            "company": config["COMPANY_NAME"],
            "lang": item.locale,
            "dir": text_direction(item.locale),
            "subject": subject,
        }
        text = render_template("email/follow_up.txt", **context)
        html = render_template("email/follow_up.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    sender_name, sender_address = parseaddr(config["MAIL_FROM"])
    message["From"] = address(sender_name or config["COMPANY_NAME"], sender_address)
    message["To"] = address(customer.name or "", customer.email or "")
    key = idempotency_key(item)
    domain = sender_address.rpartition("@")[2] or urlsplit(config["BASE_URL"]).hostname or "candor.local"
    message["Message-ID"] = f"<{key}@{domain}>"
    message["X-Candor-Idempotency-Key"] = key
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = item.locale
    return message


def sms_text(item: CaseFollowUp, token: str) -> str:
    """The longest wording that fits in one SMS segment."""
    company = current_app.config["COMPANY_NAME"]
    link = links(token)["page"]
    with force_locale(item.locale):
        variants = [
            _(
                "%(company)s: we closed your case. Did we fix it? Tell us: %(link)s",
                company=company,
                link=link,
            ),
            _("%(company)s: did we fix it? %(link)s", company=company, link=link),
            _("Did we fix it? %(link)s", link=link),
            link,
        ]
    return next((v for v in variants if sms_channel.segments(v) == 1), variants[-1])
