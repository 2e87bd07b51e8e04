"""Dispatch rules: for each purchase and active survey, one invitation, scheduled or suppressed with a reason.

Reasons, in the order they are checked: opted_out, filtered, stale (the event is older
than the survey's expiry window), no_contact, sampled_out, fatigue.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from feedback.extensions import db
from feedback.models import Customer, DispatchRule, Invitation, OutboxJob, Purchase, Survey, SurveyVersion
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.design import catalog
from feedback.services.validation import zone


@dataclass(frozen=True)
class Outcome:
    survey_id: int
    survey_key: str
    status: str  # scheduled | suppressed | waiting_for_delivery | sent | responded ...
    send_at: datetime | None = None
    reason: str | None = None
    channel: str | None = None
    invitation_id: int | None = None
    error: str | None = None  # why a failed message could not be sent

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"survey": self.survey_key, "status": self.status}
        if self.invitation_id is not None:
            out["invitation"] = self.invitation_id
        if self.send_at is not None:
            out["send_at"] = self.send_at.isoformat()
        if self.channel:
            out["channel"] = self.channel
        if self.reason:
            out["reason"] = self.reason
        if self.error:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class ActiveRule:
    survey: Survey
    rule: DispatchRule
    version_id: int


def active_rules() -> list[ActiveRule]:
    """Surveys that send after purchases right now, with the version new invitations use."""
    out = []
    # Highest priority first: when fatigue lets one survey through, the first scheduled wins.
    for survey, rule in catalog.sending_surveys():
        version_id = db.session.scalar(
            select(SurveyVersion.id)
            .where(SurveyVersion.survey_id == survey.id, SurveyVersion.status == "published")
            .order_by(SurveyVersion.number.desc())
            .limit(1)
        )
        if version_id is not None:
            out.append(ActiveRule(survey, rule, version_id))
    return out


def schedule_purchase(
    purchase: Purchase,
    customer: Customer,
    *,
    now: datetime | None = None,
    trigger: str | None = None,
    rules: list[ActiveRule] | None = None,
) -> list[Outcome]:
    """Create the invitations this purchase calls for (in the caller's transaction)."""
    now = now or utcnow()
    # Serialise scheduling per customer, so two purchases at once cannot both pass the fatigue check.
    db.session.execute(select(Customer.id).where(Customer.id == customer.id).with_for_update())
    outcomes = []
    for active in rules if rules is not None else active_rules():
        rule = active.rule
        if trigger is not None and rule.trigger != trigger:
            continue
        base = purchase.purchased_at if rule.trigger == "purchase" else purchase.delivered_at
        if base is None:
            outcomes.append(Outcome(active.survey.id, active.survey.key, "waiting_for_delivery"))
            continue
        outcomes.append(_invite(active, purchase, customer, base, now))
    return outcomes


@dataclass(frozen=True)
class Decision:
    status: str  # scheduled | suppressed
    reason: str | None
    send_at: datetime
    channel: str | None
    draw: float


def decide(
    rule: DispatchRule,
    purchase: Purchase,
    customer: Customer,
    base: datetime,
    now: datetime,
    fatigued: Callable[[datetime, int], bool],
) -> Decision:
    """The rule applied to one purchase: pure, so the API and bulk imports decide alike."""
    send_at = quiet_adjusted(
        max(base + timedelta(hours=rule.delay_hours), now),
        customer.time_zone,
        rule.quiet_start,
        rule.quiet_end,
    )
    channel = next((c for c in rule.channels.split(",") if _reachable(customer, c)), None)
    draw = sample_draw(rule.sampling_seed, purchase.external_id)
    reason = None
    if customer.opted_out_at is not None:
        reason = "opted_out"
    elif not matches_filters(rule.filters or {}, purchase, customer):
        reason = "filtered"
    elif now - base > timedelta(days=rule.expires_after_days):
        reason = "stale"
    elif channel is None:
        reason = "no_contact"
    elif draw >= rule.sampling:
        reason = "sampled_out"
    elif fatigued(send_at, rule.fatigue_days):
        reason = "fatigue"
    return Decision("suppressed" if reason else "scheduled", reason, send_at, channel, draw)


def invitation_values(active: ActiveRule, purchase, customer, decision: Decision) -> dict[str, Any]:
    """The invitation's columns for a decision (the API makes an ORM row of them; imports insert them)."""
    values: dict[str, Any] = {
        "survey_id": active.survey.id,
        "version_id": active.version_id,
        "customer_id": customer.id,
        "purchase_id": purchase.id,
        "locale": customer.locale,
        "sample_draw": decision.draw,
        "tier": customer.tier,
        "sales_channel": purchase.channel,
        "region": (customer.properties or {}).get("region"),
        "category": _category(purchase),
        "store": (purchase.properties or {}).get("store"),
        "status": decision.status,
        "suppression_reason": decision.reason,
        "channel": None,
        "send_at": None,
        "expires_at": None,
        "token_nonce": None,
        "token_hash": None,
    }
    if decision.status == "scheduled":
        nonce = secrets.token_hex(16)
        values.update(
            channel=decision.channel,
            send_at=decision.send_at,
            token_nonce=nonce,
            expires_at=decision.send_at + timedelta(days=active.rule.expires_after_days),
            token_hash=tokens.digest(tokens.link_token(nonce)),
        )
    return values


def _invite(
    active: ActiveRule, purchase: Purchase, customer: Customer, base: datetime, now: datetime
) -> Outcome:
    survey = active.survey
    decision = decide(
        active.rule, purchase, customer, base, now, lambda send_at, days: _fatigued(customer, send_at, days)
    )
    invitation = Invitation(**invitation_values(active, purchase, customer, decision))
    db.session.add(invitation)
    db.session.flush()
    if decision.status == "suppressed":
        return Outcome(
            survey.id, survey.key, "suppressed", reason=decision.reason, invitation_id=invitation.id
        )
    db.session.add(
        OutboxJob(
            kind="invitation", invitation_id=invitation.id, due_at=decision.send_at, channel=decision.channel
        )
    )
    return Outcome(
        survey.id,
        survey.key,
        "scheduled",
        send_at=decision.send_at,
        channel=decision.channel,
        invitation_id=invitation.id,
    )


def _reachable(customer: Customer, channel: str) -> bool:
    return bool(customer.email) if channel == "email" else bool(customer.phone) if channel == "sms" else False


def _category(purchase: Purchase) -> str | None:
    return next((item.category for item in purchase.items if item.category), None)


def sample_draw(seed: str, key: str) -> float:
    """A uniform number in [0, 1) fixed by the rule's seed and the order id: reproducible, auditable."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def quiet_adjusted(moment: datetime, time_zone: str, start: str | None, end: str | None) -> datetime:
    """Move ``moment`` out of the quiet hours in the customer's time zone (which may span midnight)."""
    if not start or not end or start == end:
        return moment
    tz = zone(time_zone)
    local = moment.astimezone(tz)
    begin, finish = time.fromisoformat(start), time.fromisoformat(end)
    t = local.time()
    quiet = (begin <= t or t < finish) if begin > finish else (begin <= t < finish)
    if not quiet:
        return moment
    target = local.replace(hour=finish.hour, minute=finish.minute, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return target.astimezone(moment.tzinfo)


def _fatigued(customer: Customer, send_at: datetime, days: int) -> bool:
    if days <= 0:
        return False
    window = timedelta(days=days)
    if customer.last_invited_at is not None and abs(send_at - customer.last_invited_at) < window:
        return True
    clash = db.session.scalar(
        select(Invitation.id)
        .where(
            Invitation.customer_id == customer.id,
            or_(
                and_(
                    Invitation.status == "scheduled",
                    Invitation.send_at > send_at - window,
                    Invitation.send_at < send_at + window,
                ),
                and_(
                    Invitation.sent_at.is_not(None),
                    Invitation.sent_at > send_at - window,
                    Invitation.sent_at < send_at + window,
                ),
            ),
        )
        .limit(1)
    )
    return clash is not None


def fatigued_by(
    last_invited_at: datetime | None, others: list[datetime], send_at: datetime, days: int
) -> bool:
    """The same test over send times already in memory (bulk imports)."""
    if days <= 0:
        return False
    window = timedelta(days=days)
    return any(t is not None and abs(send_at - t) < window for t in [last_invited_at, *others])


def matches_filters(filters: dict[str, Any], purchase: Purchase, customer: Customer) -> bool:
    """{"channel": [...], "category": [...], "locale": [...], "min_amount": n, "max_amount": n,
    "properties": {"store": ["S01"]}}: every given condition must hold."""

    def allowed(value, wanted) -> bool:
        options = wanted if isinstance(wanted, list) else [wanted]
        return value in options

    for key, wanted in filters.items():
        if key == "channel" and not allowed(purchase.channel, wanted):
            return False
        if key == "category" and not any(allowed(i.category, wanted) for i in purchase.items):
            return False
        if key == "locale" and not allowed(customer.locale, wanted):
            return False
        if key == "min_amount" and float(purchase.amount or 0) < float(wanted):
            return False
        if key == "max_amount" and float(purchase.amount or 0) > float(wanted):
            return False
        if key == "properties":
            props = purchase.properties or {}
            if any(not allowed(props.get(name), value) for name, value in wanted.items()):
                return False
    return True


def not_sending(listed: list[Outcome]) -> list[Outcome]:
    """Every active survey the outcomes do not name, so that a purchase's reply lists them all and
    none is left out silently: its sending is off, or (for a repeated post) it was off when the
    purchase came in, since a sending survey always leaves an invitation, scheduled or suppressed."""
    seen = {o.survey_id for o in listed}
    rows = db.session.execute(
        select(Survey.id, Survey.key, DispatchRule.active)
        .outerjoin(DispatchRule, DispatchRule.survey_id == Survey.id)
        .where(Survey.status == "active")
        .order_by(Survey.id)
    ).all()
    return [
        Outcome(i, key, "not_sending", reason="sending_off_at_purchase" if on else "sending_off")
        for i, key, on in rows
        if i not in seen
    ]


def outcomes_for(purchase: Purchase) -> list[Outcome]:
    """The invitations a purchase produced, as they stand now (for repeated posts)."""
    rows = db.session.execute(
        select(Invitation, Survey.key)
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.purchase_id == purchase.id)
        .order_by(Invitation.survey_id)
    ).all()
    seen = {inv.survey_id for inv, _ in rows}
    out = [
        Outcome(
            inv.survey_id,
            key,
            inv.status,
            inv.send_at,
            inv.suppression_reason,
            inv.channel,
            inv.id,
            inv.last_error if inv.status == "failed" else None,
        )
        for inv, key in rows
    ]
    if purchase.delivered_at is None:
        out += [
            Outcome(a.survey.id, a.survey.key, "waiting_for_delivery")
            for a in active_rules()
            if a.rule.trigger == "delivery" and a.survey.id not in seen
        ]
    return out
