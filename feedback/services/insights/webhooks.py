"""Webhooks: a signed JSON POST to other systems when a case opens or closes, an alert opens or
a response is completed.

``queue_events`` writes one delivery per subscribed hook and event; the unique (hook, event,
key) makes it idempotent, so a rescan or a second worker queues nothing twice. ``deliver_due``
POSTs what is due, retrying with backoff, and ``verify`` is the check a receiver makes.
A hook hears only events that happened after it was added, so adding one does not replay history.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.models import Webhook, WebhookDelivery
from feedback.models.types import utcnow
from feedback.models.webhooks import WEBHOOK_EVENTS
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import webhook_events

log = logging.getLogger(__name__)

EVENTS = WEBHOOK_EVENTS
# The waits after failed attempts 1 to 5; the sixth failure is final.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT = 10.0  # seconds
ERROR_CHARS = 500

# post(url, body, headers, timeout) -> HTTP status; raises OSError when nothing answered.
Post = Callable[[str, bytes, dict[str, str], float], int]


@dataclass(frozen=True)
class Delivered:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


# -- hooks -------------------------------------------------------------------------------------


def add(url: str, events: Iterable[str], now: datetime | None = None) -> Webhook:
    """A new hook with a fresh secret; the caller shows ``hook.secret`` once."""
    errors = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors.append(("url", f"must be http:// or https:// with a host, not {url!r}"))
    chosen = sorted({e.strip() for e in events if e.strip()})
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        errors.append(("events", f"unknown: {', '.join(unknown)}; choose from {', '.join(EVENTS)}"))
    elif not chosen:
        errors.append(("events", f"choose at least one of {', '.join(EVENTS)}"))
    if errors:
        raise ValidationFailed(errors)
    hook = Webhook(
        url=url,
        secret=secrets.token_hex(32),
        events=chosen,
        created_at=now or utcnow(),
    )
    db.session.add(hook)
    db.session.commit()
    return hook


def remove(hook_id: int) -> None:
    hook = db.session.get(Webhook, hook_id)
    if hook is None:
        raise NotFound(f"no webhook {hook_id}")
    db.session.execute(WebhookDelivery.__table__.delete().where(WebhookDelivery.webhook_id == hook_id))
    db.session.delete(hook)
    db.session.commit()


def listing() -> list[tuple[Webhook, dict[str, int]]]:
    """Every hook with its deliveries counted by status."""
    counts: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.webhook_id, WebhookDelivery.status
        )
    )
    for hook_id, status, n in rows:
        counts.setdefault(hook_id, {})[status] = n
    hooks = db.session.scalars(select(Webhook).order_by(Webhook.id))
    return [(h, counts.get(h.id, {})) for h in hooks]


# -- queueing ----------------------------------------------------------------------------------


def queue_events(now: datetime | None = None) -> int:
    """Deliveries for events new since the last scan; returns how many were queued."""
    now = now or utcnow()
    hooks = list(db.session.scalars(select(Webhook).where(Webhook.active.is_(True))))
    wanted = {e for h in hooks for e in h.events}
    if not wanted:  # nobody listens; a hook added later hears nothing from before it anyway
        return 0
    found = [
        *(webhook_events.case_events() if wanted & {"case.opened", "case.closed"} else ()),
        *(webhook_events.alerts() if "alert.opened" in wanted else ()),
        *(webhook_events.responses(now) if "response.completed" in wanted else ()),
    ]
    existing = _queued(sorted({key for _, key, _, _ in found})) if found else set()
    queued = 0
    for event, key, at, payload in found:
        for hook in hooks:
            if event in hook.events and at >= hook.created_at and (hook.id, event, key) not in existing:
                db.session.add(
                    WebhookDelivery(
                        webhook_id=hook.id, event=event, event_key=key, payload=payload, next_attempt_at=now
                    )
                )
                queued += 1
    try:
        db.session.commit()
    except IntegrityError:  # another worker queued the same events first; it sends them
        db.session.rollback()
        return 0
    return queued


def _queued(keys: list[str]) -> set[tuple[int, str, str]]:
    """The (hook, event, key) already queued among these keys."""
    rows = db.session.execute(
        select(WebhookDelivery.webhook_id, WebhookDelivery.event, WebhookDelivery.event_key).where(
            WebhookDelivery.event_key.in_(keys)
        )
    )
    return {(hook_id, event, key) for hook_id, event, key in rows}


# -- delivery ----------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: str,
    timestamp: str | int,
    body: bytes,
    signature: str,
    now: datetime | None = None,
    tolerance: int = 300,
) -> bool:
    """For receivers: the signature matches and the timestamp is within ``tolerance`` seconds."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    moment = (now or utcnow()).timestamp()
    if abs(moment - stamp) > tolerance:  # an old, replayed request
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature or "")


def _urllib_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 -- http(s) checked in add()
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def deliver_due(now: datetime | None = None, post: Post | None = None, batch: int = 100) -> Delivered:
    """POST every due delivery; one commit each, so a crash never sends one twice over."""
    now = now or utcnow()
    post = post or _urllib_post
    done = {"delivered": 0, "retried": 0, "failed": 0}
    for _ in range(batch):
        row = db.session.execute(
            select(WebhookDelivery, Webhook)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                Webhook.active.is_(True),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        ).first()
        if row is None:
            break
        delivery, hook = row
        done[_attempt(delivery, hook, now, post)] += 1
        db.session.commit()
    return Delivered(**done)


def _attempt(delivery: WebhookDelivery, hook: Webhook, now: datetime, post: Post) -> str:
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    stamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Candor-Webhooks/1",
        "X-Candor-Event": delivery.event,
        "X-Candor-Delivery": str(delivery.id),
        "X-Candor-Timestamp": str(stamp),
        "X-Candor-Signature": sign(hook.secret, stamp, body),
    }
    delivery.attempts += 1
    code: int | None = None
    try:
        code = post(hook.url, body, headers, TIMEOUT)
        error = None if 200 <= code < 300 else f"HTTP {code}"
    except Exception as exc:  # any failure of one hook is recorded, never raised to the others
        error = f"{type(exc).__name__}: {exc}"
    delivery.last_status_code = code
    if error is None:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
        return "delivered"
    delivery.last_error = error[:ERROR_CHARS]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
        log.warning("webhook %s gave up on delivery %s: %s", hook.id, delivery.id, error)
        return "failed"
    delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    return "retried"
