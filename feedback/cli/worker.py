"""`feedback worker`: the dispatch worker."""

from __future__ import annotations

import logging
import signal
import time
from datetime import datetime

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import _, ngettext, translated
from feedback.cli.options import MOMENT
from feedback.extensions import db
from feedback.services.dispatch import follow_up_send, sending
from feedback.services.insights import (
    alerts,
    cases,
    collect,
    digests,
    training,
    webhooks,
)

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
        click.echo(_sent(stats) + _after_sending(now) + _alerts(now))
        return
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(_("worker %(name)s started; Ctrl-C or SIGTERM stops it after the current message", name=name))
    last_alerts = float("-inf")
    try:
        while not stopping:
            try:
                stats = sending.run_once(now=now, worker=name, batch=batch, max_batches=1)
            except Exception as exc:  # the database went away, say: wait and try again
                log.exception("worker run failed")
                click.echo(
                    _(
                        "run failed (%(error)s); again in %(seconds)s s",
                        error=f"{type(exc).__name__}: {translated(str(exc))}",
                        seconds=f"{interval:g}",
                    ),
                    err=True,
                )
                db.session.rollback()
                time.sleep(interval)
                continue
            themed = _after_sending(now)
            if time.monotonic() - last_alerts >= ALERT_EVERY:
                themed += _alerts(now)
                last_alerts = time.monotonic()
            if sum(stats.sent.values()) or stats.failed or stats.retried or themed:
                click.echo(_sent(stats) + themed)
            else:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    click.echo(_("worker stopped"))


def _sent(stats: sending.RunStats) -> str:
    # The one place a run's counts become a sentence; the counts by channel and by reason are
    # keyed by codes, which stay as they are.
    return _(
        "sent %(sent)s (%(channels)s), skipped %(skipped)s, retried %(retried)s, failed %(failed)s, "
        "expired %(expired)s",
        sent=sum(stats.sent.values()),
        channels=dict(stats.sent),
        skipped=dict(stats.skipped),
        retried=stats.retried,
        failed=stats.failed,
        expired=stats.expired,
    )


def _after_sending(now: datetime | None) -> str:
    # Cases open only for responses whose comments are already themed, so routing is known.
    upto = collect.latest_response()
    themed, ok = _themed()
    return themed + _followed_up(now, upto if ok else 0) + _webhooks(now)


def _step(name: str, work, failed: str) -> tuple[str, bool]:
    """Run one step after sending; its failure is logged and rolled back, and never stops sending.
    ``work`` returns the phrases worth printing (empty ones are left out); ``failed`` is what the
    terminal shows instead when it fails (``name`` is for the log, which stays English)."""
    try:
        parts = [p for p in work() if p]
    except Exception:
        log.exception("%s failed; the next run tries again", name)
        db.session.rollback()
        return "; " + failed, False
    return ("; " + ", ".join(parts) if parts else ""), True


def _themed() -> tuple[str, bool]:
    """New customers' comments, collected and themed."""

    def work():
        count = collect.collect(tagger=training.current_tagger())
        return [ngettext("%(num)s comment themed", "%(num)s comments themed", count) if count else ""]

    return _step("comments", work, _("comments: failed (see the log)"))


def _followed_up(now: datetime | None, upto: int) -> str:
    """Cases opened for new unhappy customers, overdue ones escalated, owners told by e-mail."""

    def work():
        opened = cases.open_pending(now, upto=upto)
        raised = cases.escalate_overdue(now)
        mailed = cases.notify_pending(now)
        asked = follow_up_send.send_due(now)
        return [
            ngettext("%(num)s case opened", "%(num)s cases opened", opened.opened) if opened.opened else "",
            ngettext("%(num)s escalated", "%(num)s escalated", len(raised)) if raised else "",
            ngettext("%(num)s case e-mail sent", "%(num)s case e-mails sent", mailed) if mailed else "",
            ngettext("%(num)s follow-up sent", "%(num)s follow-ups sent", asked.sent) if asked.sent else "",
        ]

    return _step("cases", work, _("cases: failed (see the log)"))[0]


def _webhooks(now: datetime | None) -> str:
    """Events queued for the webhooks and due deliveries POSTed."""

    def work():
        queued = webhooks.queue_events(now)
        done = webhooks.deliver_due(now)
        return [
            _("%(num)s webhook events queued", num=queued) if queued else "",
            _("%(num)s delivered", num=done.delivered) if done.delivered else "",
            _("%(retried)s to retry, %(failed)s failed", retried=done.retried, failed=done.failed)
            if done.retried or done.failed
            else "",
        ]

    return _step("webhooks", work, _("webhooks: failed (see the log)"))[0]


def _alerts(now: datetime | None) -> str:
    """Alerts opened, bumped or reopened and e-mailed to their groups; digests that are due."""

    def work():
        found = alerts.evaluate(now)
        mailed = alerts.notify_open(now)
        digested = digests.send_due(now)
        return [
            _("%(opened)s alerts opened, %(reopened)s reopened", opened=found.opened, reopened=found.reopened)
            if found.opened or found.reopened
            else "",
            ngettext("%(num)s alert e-mail sent", "%(num)s alert e-mails sent", mailed) if mailed else "",
            ngettext("%(num)s digest sent", "%(num)s digests sent", digested) if digested else "",
        ]

    return _step("alerts", work, _("alerts: failed (see the log)"))[0]
