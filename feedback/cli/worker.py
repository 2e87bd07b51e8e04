"""`feedback worker`: the dispatch worker."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from feedback.services.dispatch import sending


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("use ISO 8601, e.g. 2026-11-24T12:00:00Z", param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command()
@click.option("--once", is_flag=True, help="Process everything due now, then exit.")
@click.option(
    "--now", "now_text", metavar="ISO8601", help="Treat this instant as the present (tests, catch-up)."
)
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds to wait when nothing is due.",
)
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 5000))
@with_appcontext
def worker(once: bool, now_text: str | None, interval: float, batch: int) -> None:
    """Send due invitations and reminders; any number may run against one PostgreSQL database."""
    now = _moment(now_text)
    name = sending.worker_name()
    if once:
        stats = sending.run_once(now=now, worker=name, batch=batch)
        click.echo(stats.summary())
        return
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(f"worker {name} started; Ctrl-C or SIGTERM stops it after the current message")
    try:
        while not stopping:
            stats = sending.run_once(now=now, worker=name, batch=batch, max_batches=1)
            if sum(stats.sent.values()) or stats.failed or stats.retried:
                click.echo(stats.summary())
            else:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    click.echo("worker stopped")
