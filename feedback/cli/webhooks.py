"""`feedback webhooks`: add, list and remove the receivers of signed event POSTs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import _, translated
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import webhooks


@click.group("webhooks")
def webhooks_cli() -> None:
    """Webhooks: signed POSTs to other systems when cases, alerts and responses happen."""


@webhooks_cli.command("add")
@click.argument("url")
@click.option(
    "--events",
    required=True,
    metavar="EVENT,...",
    help=f"Comma-separated, from: {', '.join(webhooks.EVENTS)}.",
)
@with_appcontext
def webhooks_add(url: str, events: str) -> None:
    """Send the chosen events to URL. The signing secret is printed once."""
    try:
        hook = webhooks.add(url, events.split(","))
    except ValidationFailed as exc:
        raise click.UsageError("; ".join(f"{f}: {translated(m)}" for f, m in exc.errors)) from None
    click.echo(
        _(
            "Webhook %(id)s sends %(events)s to %(url)s.",
            id=hook.id,
            events=", ".join(hook.events),
            url=hook.url,
        )
    )
    click.echo(_("Signing secret (store it now; it is not shown again):"))
    click.echo(hook.secret)


@webhooks_cli.command("list")
@with_appcontext
def webhooks_list() -> None:
    """Each webhook with its deliveries by status."""
    found = webhooks.listing()
    if not found:
        click.echo(_("No webhooks."))
    for hook, counts in found:
        state = _("active") if hook.active else _("inactive")
        tally = _(
            "%(pending)s pending, %(delivered)s delivered, %(failed)s failed",
            pending=counts.get("pending", 0),
            delivered=counts.get("delivered", 0),
            failed=counts.get("failed", 0),
        )
        click.echo(f"{hook.id:>4} {hook.url} ({state})")
        click.echo(
            f"{'':>4} "
            + _("events: %(events)s; deliveries: %(tally)s", events=", ".join(hook.events), tally=tally)
        )


@webhooks_cli.command("remove")
@click.argument("hook_id", metavar="ID", type=int)
@with_appcontext
def webhooks_remove(hook_id: int) -> None:
    """Remove webhook ID and its deliveries."""
    try:
        webhooks.remove(hook_id)
    except NotFound as exc:
        raise click.UsageError(translated(exc.message)) from None
    click.echo(_("Removed webhook %(id)s.", id=hook_id))
