"""`feedback worker`: the dispatch worker."""

from __future__ import annotations

import logging
import signal
import time
from datetime import datetime

import click
from flask.cli import with_appcontext

from feedback.cli.options import MOMENT
from feedback.extensions import db
from feedback.services.dispatch import sending
from feedback.services.insights import alerts, cases, collect, digests, training, webhooks

log = logging.getLogger(__name__)
ALERT_EVERY = 3600.0  # seconds: alerts read whole results, so a running worker looks hourly


@click.command()
@click.option("--once", is_flag=True, help="Process everything due now, then exit.")
@click.option("--now", type=MOMENT, help="Treat this instant as the present (tests, catch-up).")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds to wait when nothing is due.",
)
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 5000))
@with_appcontext
def worker(once: bool, now: datetime | None, interval: float, batch: int) -> None:
    """Send due invitations and reminders; any number may run against one PostgreSQL database."""
    name = sending.worker_name()
    if once:
        stats = sending.run_once(now=now, worker=name, batch=batch)
        click.echo(stats.summary() + _after_sending(now) + _alerts(now))
        return
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(f"worker {name} started; Ctrl-C or SIGTERM stops it after the current message")
    last_alerts = float("-inf")
    try:
        while not stopping:
            try:
                stats = sending.run_once(now=now, worker=name, batch=batch, max_batches=1)
            except Exception as exc:  # the database went away, say: wait and try again
                log.exception("worker run failed")
                click.echo(f"run failed ({type(exc).__name__}: {exc}); again in {interval:g} s", err=True)
                db.session.rollback()
                time.sleep(interval)
                continue
            themed = _after_sending(now)
            if time.monotonic() - last_alerts >= ALERT_EVERY:
                themed += _alerts(now)
                last_alerts = time.monotonic()
            if sum(stats.sent.values()) or stats.failed or stats.retried or themed:
                click.echo(stats.summary() + themed)
            else:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    click.echo("worker stopped")


def _after_sending(now: datetime | None) -> str:
    # Cases open only for responses whose comments are already themed, so routing is known.
    upto = collect.latest_response()
    themed, ok = _themed()
    return themed + _followed_up(now, upto if ok else 0) + _webhooks(now)


def _themed() -> tuple[str, bool]:
    """New customers' comments, collected and themed; a failure here never stops sending."""
    try:
        count = collect.collect(tagger=training.current_tagger())
    except Exception:
        log.exception("collecting comments failed; the next run tries again")
        db.session.rollback()
        return "; comments: failed (see the log)", False
    return (f"; {count} comments themed" if count else ""), True


def _followed_up(now: datetime | None, upto: int) -> str:
    """Cases opened for new unhappy customers, overdue ones escalated, owners told by e-mail."""
    try:
        opened = cases.open_pending(now, upto=upto)
        raised = cases.escalate_overdue(now)
        mailed = cases.notify_pending(now)
    except Exception:
        log.exception("following up cases failed; the next run tries again")
        db.session.rollback()
        return "; cases: failed (see the log)"
    parts = []
    if opened.opened:
        parts.append(f"{opened.opened} cases opened")
    if raised:
        parts.append(f"{len(raised)} escalated")
    if mailed:
        parts.append(f"{mailed} case e-mails sent")
    return "; " + ", ".join(parts) if parts else ""


def _webhooks(now: datetime | None) -> str:
    """Events queued for the webhooks and due deliveries POSTed; a failure never stops sending."""
    try:
        queued = webhooks.queue_events(now)
        done = webhooks.deliver_due(now)
    except Exception:
        log.exception("webhooks failed; the next run tries again")
        db.session.rollback()
        return "; webhooks: failed (see the log)"
    parts = []
    if queued:
        parts.append(f"{queued} webhook events queued")
    if done.delivered:
        parts.append(f"{done.delivered} delivered")
    if done.retried or done.failed:
        parts.append(f"{done.retried} to retry, {done.failed} failed")
    return "; " + ", ".join(parts) if parts else ""


def _alerts(now: datetime | None) -> str:
    """Alerts opened, bumped or reopened and e-mailed to their groups; digests that are due."""
    try:
        found = alerts.evaluate(now)
        mailed = alerts.notify_open(now)
        digested = digests.send_due(now)
    except Exception:
        log.exception("alerts failed; the next run tries again")
        db.session.rollback()
        return "; alerts: failed (see the log)"
    parts = []
    if found.opened or found.reopened:
        parts.append(f"{found.opened} alerts opened, {found.reopened} reopened")
    if mailed:
        parts.append(f"{mailed} alert e-mails sent")
    if digested:
        parts.append(f"{digested} digests sent")
    return "; " + ", ".join(parts) if parts else ""
