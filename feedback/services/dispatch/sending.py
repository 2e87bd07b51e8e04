"""The dispatch worker: send what is due, retry what failed, expire what nobody answered.

Delivery is at least once. A message is marked sent only after the server accepted it,
in its own transaction; if the worker dies between the two, the lease runs out and the
message goes again, with the same idempotency key (X-Candor-Idempotency-Key and
Message-ID), so receivers can drop the repeat.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from feedback.channels import PermanentFailure, TemporaryFailure, email_sender
from feedback.channels.sms import HttpSmsSender
from feedback.extensions import db
from feedback.models import Customer, DispatchRule, Invitation, OutboxJob, SurveyVersion
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.dispatch import messages, outbox
from surveys import serialize

log = logging.getLogger(__name__)


@dataclass
class RunStats:
    sent: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    retried: int = 0
    failed: int = 0
    expired: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Senders:
    """Transports, plus what stays the same for a whole run: rules, parsed survey versions, send counts."""

    def __init__(self, config):
        self.smtp = email_sender(config)
        url = config.get("SMS_GATEWAY_URL")
        self.sms = HttpSmsSender(url, config.get("SMS_GATEWAY_TOKEN")) if url else None
        self.rules: dict[int, DispatchRule | None] = {}
        self.specs: dict[int, object] = {}
        self.recent: dict[int, tuple[datetime, int]] = {}

    def rule(self, survey_id: int) -> DispatchRule | None:
        if survey_id not in self.rules:
            self.rules[survey_id] = db.session.scalar(
                select(DispatchRule).where(DispatchRule.survey_id == survey_id)
            )
        return self.rules[survey_id]

    def spec(self, version_id: int):
        if version_id not in self.specs:
            version = db.session.get(SurveyVersion, version_id)
            self.specs[version_id] = serialize.from_dict(version.definition, complete=False)
        return self.specs[version_id]

    def over_rate(self, survey_id: int, per_minute: int, now: datetime) -> bool:
        """Counted in the database once per minute of the run, then in memory as this worker sends."""
        checked, count = self.recent.get(survey_id, (None, 0))
        if checked is None or now - checked > timedelta(seconds=60):
            count = _sent_last_minute(survey_id, now)
            self.recent[survey_id] = (now, count)
        return count >= per_minute

    def sent_one(self, survey_id: int) -> None:
        checked, count = self.recent.get(survey_id, (None, 0))
        if checked is not None:
            self.recent[survey_id] = (checked, count + 1)


def run_once(
    *, now: datetime | None = None, worker: str | None = None, batch: int = 50, max_batches: int | None = None
) -> RunStats:
    """Process everything due at ``now``, batch by batch, until nothing is left."""
    stats = RunStats()
    worker = worker or worker_name()
    senders = Senders(current_app.config)
    stats.expired = expire(now or utcnow())
    batches = 0
    while max_batches is None or batches < max_batches:
        moment = now or utcnow()
        claimed = outbox.claim(
            worker, moment, limit=batch, lease_seconds=int(current_app.config.get("LEASE_SECONDS", 120))
        )
        if not claimed:
            break
        batches += 1
        for job_id in claimed:
            try:
                process(job_id, worker, moment, senders, stats)
            except Exception as exc:  # one message never stops the run or its batch
                db.session.rollback()
                log.exception("job %s failed unexpectedly; it is retried with backoff", job_id)
                _unexpected(job_id, worker, moment, f"{type(exc).__name__}: {exc}", stats)
    return stats


def _unexpected(job_id: int, worker: str, now: datetime, error: str, stats: RunStats) -> None:
    """A job that raised something no channel expected: retried with backoff, failed at the cap."""
    job = outbox.owned(job_id, worker)
    if job is None:
        return
    _retry(job, db.session.get(Invitation, job.invitation_id), now, error, stats)


def expire(now: datetime) -> int:
    """Sent invitations past their expiry that nobody answered."""
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.status == "sent", Invitation.expires_at < now)
        .values(status="expired")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def process(job_id: int, worker: str, now: datetime, senders: Senders, stats: RunStats) -> None:
    job = outbox.owned(job_id, worker)
    if job is None:
        return
    invitation = db.session.get(Invitation, job.invitation_id)
    customer = db.session.get(Customer, invitation.customer_id)
    if job.attempts > outbox.MAX_ATTEMPTS:
        # Claimed again and again without an outcome: a worker died on it each time.
        _retry(job, invitation, now, f"no outcome after {job.attempts - 1} attempts", stats)
        return
    reason = _skip_reason(job, invitation, customer, now)
    if reason:
        _finish(job, now, status="cancelled" if reason != "already_sent" else "done")
        if reason == "opted_out" and invitation.status == "scheduled":
            invitation.status, invitation.suppression_reason = "suppressed", "opted_out"
        elif reason == "expired" and invitation.status in ("scheduled", "sent"):
            invitation.status = "expired"
        db.session.commit()
        stats.skipped[reason] += 1
        return
    rule = senders.rule(invitation.survey_id)
    if rule is not None and senders.over_rate(invitation.survey_id, rule.rate_per_minute, now):
        job.status, job.due_at, job.attempts = "pending", now + timedelta(seconds=60), job.attempts - 1
        job.lease_owner = job.lease_until = None
        db.session.commit()
        stats.skipped["rate_limited"] += 1
        return
    channel = job.channel or invitation.channel
    try:
        _send(job, invitation, customer, channel, senders)
    except TemporaryFailure as exc:
        _retry(job, invitation, now, str(exc), stats)
        return
    except PermanentFailure as exc:
        _fall_back_or_fail(job, invitation, customer, rule, channel, now, str(exc), stats)
        return
    _delivered(job, invitation, customer, rule, channel, now)
    senders.sent_one(invitation.survey_id)
    stats.sent[f"{job.kind}:{channel}"] += 1


def _skip_reason(job: OutboxJob, invitation: Invitation, customer: Customer, now: datetime) -> str | None:
    if invitation.status in ("cancelled", "suppressed"):
        return "cancelled"
    if customer.opted_out_at is not None:
        return "opted_out"
    if invitation.status == "responded":
        return "answered"
    if invitation.expires_at is not None and invitation.expires_at <= now:
        return "expired"
    if job.kind == "invitation" and invitation.status == "sent":
        return "already_sent"
    return None


def _sent_last_minute(survey_id: int, now: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.survey_id == survey_id,
                Invitation.sent_at > now - timedelta(minutes=1),
                Invitation.sent_at <= now,
            )
        )
        or 0
    )


def _send(job: OutboxJob, invitation: Invitation, customer: Customer, channel: str, senders: Senders) -> None:
    token = tokens.link_token(invitation.token_nonce)
    if channel == "email":
        spec = senders.spec(invitation.version_id)
        senders.smtp.send(_built(lambda: messages.email(invitation, customer, spec, token, kind=job.kind)))
    elif channel == "sms":
        if senders.sms is None:
            raise PermanentFailure("no SMS gateway configured (FEEDBACK_SMS_GATEWAY_URL)")
        text = _built(lambda: messages.sms_text(invitation, token, kind=job.kind))
        senders.sms.send(customer.phone, text, messages.idempotency_key(invitation, job.kind))
    else:
        raise PermanentFailure(f"unknown channel {channel!r}")


def _built(build):
    """The message, or PermanentFailure: what cannot be built now never can (a name with a line
    break stored before names were checked, an address that is no address)."""
    try:
        return build()
    except (ValueError, TypeError, UnicodeError, LookupError) as exc:
        raise PermanentFailure(f"cannot build the message: {exc}") from exc


def _delivered(job, invitation, customer, rule, channel, now) -> None:
    _finish(job, now, status="done")
    if job.kind == "invitation":
        invitation.status, invitation.sent_at, invitation.channel = "sent", now, channel
        invitation.attempts = job.attempts
        customer.last_invited_at = now
        if rule is not None and rule.reminder_after_days:
            invitation.reminder_at = now + timedelta(days=rule.reminder_after_days)
            db.session.add(
                OutboxJob(
                    kind="reminder",
                    invitation_id=invitation.id,
                    due_at=invitation.reminder_at,
                    channel=channel,
                )
            )
    else:
        invitation.reminded_at = now
    db.session.commit()


def _retry(job, invitation, now, error, stats) -> None:
    job.last_error = error[:2000]
    if job.attempts >= outbox.MAX_ATTEMPTS:
        _finish(job, now, status="failed")
        if job.kind == "invitation":
            invitation.status = "failed"
        stats.failed += 1
        log.warning("giving up on job %s after %s attempts: %s", job.id, job.attempts, error)
    else:
        job.status, job.due_at = "pending", now + outbox.backoff(job.attempts)
        job.lease_owner = job.lease_until = None
        stats.retried += 1
    invitation.last_error = error[:2000]
    db.session.commit()


def _fall_back_or_fail(job, invitation, customer, rule, channel, now, error, stats) -> None:
    order = (rule.channels if rule else "email").split(",")
    later = order[order.index(channel) + 1 :] if channel in order else []
    fallback = next((c for c in later if (customer.email if c == "email" else customer.phone)), None)
    invitation.last_error = error[:2000]
    if fallback:
        job.channel, job.status, job.due_at = fallback, "pending", now
        job.lease_owner = job.lease_until = None
        stats.retried += 1
    else:
        _finish(job, now, status="failed")
        job.last_error = error[:2000]
        if job.kind == "invitation":
            invitation.status = "failed"
        stats.failed += 1
    db.session.commit()


def _finish(job: OutboxJob, now: datetime, *, status: str) -> None:
    job.status, job.done_at = status, now
    job.lease_owner = job.lease_until = None
