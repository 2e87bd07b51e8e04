"""`feedback tiers`: recompute customer value tiers from purchases."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import translated
from feedback.services.errors import DomainError
from feedback.services.intake import tiers as tier_service


@click.command()
@click.option(
    "--window-days",
    default=365,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Revenue in this many days decides the tier; no purchase in it means inactive.",
)
@with_appcontext
def tiers(window_days: int) -> None:
    """Place every customer in the value pyramid (top 1%, next 4%, next 15%, the rest, inactive)."""
    try:
        counts = tier_service.recompute(window_days=window_days)
    except DomainError as exc:  # revenue in several currencies, for one
        raise click.ClickException(translated(exc.message)) from None
    total = sum(counts.values())
    for name in ("top", "big", "medium", "small", "inactive", "prospect"):
        click.echo(f"{name:<9} {counts.get(name, 0):>8,}  {counts.get(name, 0) / total if total else 0:6.1%}")
