"""`feedback webhooks`: add, list and remove the receivers of signed event POSTs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

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
        raise click.UsageError("; ".join(f"{f}: {m}" for f, m in exc.errors)) from None
    click.echo(f"Webhook {hook.id} sends {', '.join(hook.events)} to {hook.url}.")
    click.echo("Signing secret (store it now; it is not shown again):")
    click.echo(hook.secret)


@webhooks_cli.command("list")
@with_appcontext
def webhooks_list() -> None:
    """Each webhook with its deliveries by status."""
    found = webhooks.listing()
    if not found:
        click.echo("No webhooks.")
    for hook, counts in found:
        state = "active" if hook.active else "inactive"
        tally = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("pending", "delivered", "failed"))
        click.echo(f"{hook.id:>4} {hook.url} ({state})")
        click.echo(f"{'':>4} events: {', '.join(hook.events)}; deliveries: {tally}")


@webhooks_cli.command("remove")
@click.argument("hook_id", metavar="ID", type=int)
@with_appcontext
def webhooks_remove(hook_id: int) -> None:
    """Remove webhook ID and its deliveries."""
    try:
        webhooks.remove(hook_id)
    except NotFound as exc:
        raise click.UsageError(exc.message) from None
    click.echo(f"Removed webhook {hook_id}.")
