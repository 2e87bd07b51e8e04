"""A customer's standing: contact, opt-out, invitation history; and opting out from any channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from feedback.extensions import db
from feedback.models import Customer, Invitation, OutboxJob
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.errors import NotFound, ValidationFailed

STOP_WORDS = frozenset(
    {
        "stop",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "stopall",
        "لغو",
        "توقف",
        "انصراف",  # Persian
        "إلغاء",
        "الغاء",
        "ايقاف",
        "إيقاف",  # Arabic
        "стоп",
        "отписка",
        "отписаться",  # Russian
    }
)


def by_external_id(external_id: str) -> Customer:
    customer = db.session.scalar(select(Customer).where(Customer.external_id == external_id))
    if customer is None:
        raise NotFound(f"no customer with id {external_id!r}")
    return customer


def standing(customer: Customer) -> dict[str, Any]:
    next_at = db.session.scalar(
        select(func.min(Invitation.send_at)).where(
            Invitation.customer_id == customer.id, Invitation.status == "scheduled"
        )
    )
    return {
        "id": customer.external_id,
        "email": customer.email,
        "phone": customer.phone,
        "name": customer.name,
        "locale": customer.locale,
        "time_zone": customer.time_zone,
        "tier": customer.tier,
        "properties": customer.properties or {},
        "opted_out": customer.opted_out_at is not None,
        "opted_out_at": _iso(customer.opted_out_at),
        "last_invited_at": _iso(customer.last_invited_at),
        "last_responded_at": _iso(customer.last_responded_at),
        "next_invitation_at": _iso(next_at),
        "invitations": recent_invitations(customer),
    }


def recent_invitations(customer: Customer, limit: int = 20) -> list[dict[str, Any]]:
    """The customer's latest invitations, each with its status and, when it failed, why."""
    from feedback.models import Survey

    rows = db.session.execute(
        select(Invitation, Survey.key)
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.customer_id == customer.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(limit)
    ).all()
    out = []
    for inv, key in rows:
        item: dict[str, Any] = {"survey": key, "status": inv.status, "created_at": _iso(inv.created_at)}
        if inv.sent_at:
            item["sent_at"] = _iso(inv.sent_at)
        if inv.suppression_reason:
            item["reason"] = inv.suppression_reason
        if inv.status == "failed" and inv.last_error:
            item["error"] = inv.last_error
        out.append(item)
    return out


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def cancel_pending(customer: Customer, *, reason: str = "cancelled") -> int:
    """Cancel every scheduled invitation and its outbox job (in the caller's transaction)."""
    ids = list(
        db.session.scalars(
            select(Invitation.id).where(
                Invitation.customer_id == customer.id, Invitation.status == "scheduled"
            )
        )
    )
    if ids:
        db.session.execute(
            update(Invitation)
            .where(Invitation.id.in_(ids))
            .values(status="cancelled", suppression_reason=reason)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxJob)
            .where(OutboxJob.invitation_id.in_(ids), OutboxJob.status.in_(("pending", "leased")))
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def opt_out(customer: Customer, source: str) -> int:
    """No more surveys, from now on, on any channel; returns how many scheduled sends were cancelled."""
    if customer.opted_out_at is None:
        customer.opted_out_at, customer.opt_out_source = utcnow(), source
    cancelled = cancel_pending(customer, reason="opted_out")
    audit.record(
        "customer_opted_out",
        actor_type="customer" if source != "api" else "api_key",
        target=customer,
        source=source,
        cancelled=cancelled,
    )
    db.session.commit()
    return cancelled


def resubscribe(customer: Customer, reason: str, actor_label: str) -> None:
    """Clear an opt-out: the only way to, stated and audited. The customer asked to hear from
    us again (a written request, a signed form...); ``reason`` says how."""
    reason = (reason or "").strip()
    if not 10 <= len(reason) <= 500:
        raise ValidationFailed([("reason", "say in 10-500 characters why they may be surveyed again")])
    if customer.opted_out_at is None:
        raise ValidationFailed([("customer", "has not opted out")])
    audit.record(
        "customer_resubscribed",
        actor_type="api_key",
        actor_label=actor_label,
        target=customer,
        reason=reason,
        opted_out_at=customer.opted_out_at.isoformat(),
        opt_out_source=customer.opt_out_source,
    )
    customer.opted_out_at = customer.opt_out_source = None
    db.session.commit()


def opt_out_by_sms(phone: str, text: str) -> Customer | None:
    """An SMS reply: a stop word opts the sender out. Returns the customer, or None if nothing applied."""
    words = {w.strip(".!،,") for w in (text or "").lower().split()}
    if not words & STOP_WORDS:
        return None
    customer = db.session.scalar(select(Customer).where(Customer.phone == phone).limit(1))
    if customer is None:
        return None
    opt_out(customer, "sms_reply")
    return customer
