"""Recovery, measured: "Did we fix it?", asked once after a case is closed as resolved.

With ``FOLLOW_UP_RESOLVED`` on (off by default: it writes to customers, so a company turns it
on), the worker schedules one short question to the customer of each case closed as resolved
in the last ``SCAN_DAYS`` days, under the survey's own dispatch rule: never to an opted-out
customer, through the channel of the original invitation (or the rule's first reachable one),
out of the customer's quiet hours, a day after the close (``FOLLOW_UP_DELAY_HOURS``), and
suppressed with the reason ``fatigue`` when the customer had another invitation or
follow-up within the rule's fatigue window. The invitation whose answer opened the case does
not count: the follow-up is part of that conversation. A sent follow-up counts towards the
fatigue of later invitations, as an invitation would.

The customer answers yes, partly or no on a one-question page reached through a single-use
link (``insights.followup``); the answer is stored on the case (``customer_says``) and feeds
the recovery report. Only cases closed recently are looked at, so turning the setting on
never writes to the customers of cases closed long ago.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.models import Case, CaseEvent, CaseFollowUp, Customer, DispatchRule, Invitation, Response
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.dispatch.scheduling import quiet_adjusted

LOCALES = ("en", "fa", "ar", "ru")
DEFAULT_EXPIRY_DAYS = 14
SCAN_DAYS = 2
BATCH = 500


def enabled() -> bool:
    return bool(current_app.config.get("FOLLOW_UP_RESOLVED"))


def link_token(nonce: str) -> str:
    """The follow-up link token: HMAC-SHA256 of its random nonce under the secret key, 144 bits.

    Its own domain string keeps it apart from survey link tokens made from the same key.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    mac = hmac.new(key, f"candor-follow-up:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:24]


def schedule_pending(now: datetime | None = None) -> int:
    """Schedule (or suppress, with its reason) the follow-up of each case closed as resolved
    lately that has none; returns how many were made."""
    now = now or utcnow()
    if not enabled():
        return 0
    made = 0
    rows = db.session.scalars(
        select(Case)
        .where(
            Case.status == "closed",
            Case.outcome == "resolved",
            Case.customer_id.is_not(None),
            Case.closed_at > now - timedelta(days=SCAN_DAYS),
            Case.closed_at <= now,
            ~exists().where(CaseFollowUp.case_id == Case.id),
        )
        .order_by(Case.id)
        .limit(BATCH)
    ).all()
    for case in rows:
        try:
            with db.session.begin_nested():
                if _schedule(case, now) is not None:
                    db.session.flush()
                    made += 1
        except IntegrityError:  # another worker made it first: one per case
            continue
    db.session.commit()
    return made


def _schedule(case: Case, now: datetime) -> CaseFollowUp | None:
    customer = db.session.get(Customer, case.customer_id)
    if customer is None:
        return None
    origin = _origin(case)
    rule = db.session.scalar(select(DispatchRule).where(DispatchRule.survey_id == case.survey_id))
    delay = float(current_app.config.get("FOLLOW_UP_DELAY_HOURS", 24))
    send_at = quiet_adjusted(
        max(case.closed_at + timedelta(hours=delay), now),
        customer.time_zone,
        rule.quiet_start if rule else None,
        rule.quiet_end if rule else None,
    )
    follow_up = CaseFollowUp(
        case_id=case.id,
        customer_id=customer.id,
        invitation_id=origin.id if origin else None,
        channel=_channel(customer, origin, rule),
        locale=_locale(case, customer),
        send_at=send_at,
        created_at=now,
    )
    reason = suppression(follow_up, customer, rule, origin, send_at)
    if reason:
        follow_up.status, follow_up.suppression_reason = "suppressed", reason
    else:
        follow_up.status = "scheduled"
        follow_up.token_nonce = secrets.token_hex(16)
        follow_up.token_hash = tokens.digest(link_token(follow_up.token_nonce))
        days = rule.expires_after_days if rule else DEFAULT_EXPIRY_DAYS
        follow_up.expires_at = send_at + timedelta(days=days)
    db.session.add(follow_up)
    db.session.add(
        CaseEvent(
            case_id=case.id, at=now, kind="follow_up", data={"status": follow_up.status, "reason": reason}
        )
    )
    return follow_up


def _origin(case: Case) -> Invitation | None:
    invitation_id = db.session.scalar(select(Response.invitation_id).where(Response.id == case.response_id))
    return db.session.get(Invitation, invitation_id) if invitation_id else None


def _channel(customer: Customer, origin: Invitation | None, rule: DispatchRule | None) -> str | None:
    order = [origin.channel] if origin is not None and origin.channel else []
    order += (rule.channels if rule else "email").split(",")
    reachable = {"email": bool(customer.email), "sms": bool(customer.phone)}
    return next((c for c in order if reachable.get(c)), None)


def _locale(case: Case, customer: Customer) -> str:
    said = db.session.scalar(select(Response.locale).where(Response.id == case.response_id))
    for value in (said, customer.locale):
        code = (value or "").split("-")[0].lower()
        if code in LOCALES:
            return code
    return "en"


def suppression(
    follow_up: CaseFollowUp,
    customer: Customer,
    rule: DispatchRule | None,
    origin: Invitation | None,
    send_at: datetime,
) -> str | None:
    """Why the follow-up may not go (opted_out, no_contact, fatigue), or None."""
    if customer.opted_out_at is not None:
        return "opted_out"
    if follow_up.channel is None:
        return "no_contact"
    if rule is not None and fatigued(customer, follow_up, origin, send_at, rule.fatigue_days):
        return "fatigue"
    return None


def fatigued(
    customer: Customer, follow_up: CaseFollowUp, origin: Invitation | None, send_at: datetime, days: int
) -> bool:
    """Another invitation or follow-up to this customer within ``days`` of ``send_at``."""
    if days <= 0:
        return False
    window = timedelta(days=days)
    last = customer.last_invited_at
    mine = origin.sent_at if origin is not None else None
    if last is not None and last != mine and abs(send_at - last) < window:
        return True

    def near(column):
        return and_(column.is_not(None), column > send_at - window, column < send_at + window)

    invited = select(Invitation.id).where(
        Invitation.customer_id == customer.id,
        Invitation.id != (origin.id if origin is not None else -1),
        or_(and_(Invitation.status == "scheduled", near(Invitation.send_at)), near(Invitation.sent_at)),
    )
    asked = select(CaseFollowUp.id).where(
        CaseFollowUp.customer_id == customer.id,
        CaseFollowUp.id != (follow_up.id if follow_up.id is not None else -1),
        or_(and_(CaseFollowUp.status == "scheduled", near(CaseFollowUp.send_at)), near(CaseFollowUp.sent_at)),
    )
    return db.session.scalar(invited.limit(1)) is not None or db.session.scalar(asked.limit(1)) is not None
