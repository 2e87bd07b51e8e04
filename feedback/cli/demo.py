"""`feedback demo`: load the demo company."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import _, translated
from feedback.cli.options import MOMENT
from feedback.services import demo as demo_service


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction; the progress bar translates it when it shows it."""
    return msgid


# The steps demo_service.load reports, in its order and its words: the bar's length and labels.
STEPS = (
    N_("staff accounts"),
    N_("survey"),
    N_("customers"),
    N_("purchases"),
    N_("value tiers"),
    N_("invitations and responses"),
    N_("comments and themes"),
)


@click.command()
@click.option(
    "--responses",
    default=3000,
    show_default=True,
    type=click.IntRange(0, 2_000_000),
    help="How many answered surveys to create.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed (same seed, same data).")
@click.option(
    "--now", type=MOMENT, help="Build the demo as of this instant instead of the present (ISO 8601)."
)
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo is already loaded.")
@with_appcontext
def demo(responses: int, seed: int, now: datetime | None, if_empty: bool) -> None:
    """Load a demo company: customers, a year of purchases, a survey and its responses."""
    if demo_service.is_loaded():
        if if_empty:
            print_login()
            return
        raise click.ClickException(_("The demo is already loaded (use --if-empty to skip quietly)."))
    with click.progressbar(
        length=len(STEPS), label=_("Loading demo data"), item_show_func=lambda step: step and translated(step)
    ) as bar:
        summary = demo_service.load(responses, seed=seed, now=now, progress=lambda msg: bar.update(1, msg))
    click.echo(
        _(
            "Demo loaded: %(customers)s customers, %(purchases)s purchases, "
            "%(invitations)s invitations, %(responses)s responses.",
            customers=summary.customers,
            purchases=summary.purchases,
            invitations=summary.invitations,
            responses=summary.responses,
        )
    )
    print_login()


def print_login() -> None:
    click.echo(
        _(
            "Staff sign-in at /staff/login with any of these (password '%(password)s'):",
            password=demo_service.DEMO_PASSWORD,
        )
    )
    for email, role, _name in demo_service.DEMO_USERS:
        click.echo(f"  {email:<28} {role}")
    for email, role, _name, slug in demo_service.GROUP_USERS:
        click.echo(f"  {email:<28} " + _("%(role)s, member of the %(group)s group", role=role, group=slug))


def print_link() -> None:
    """One unanswered customer link (printed by `feedback serve`, which knows its own address)."""
    link = demo_service.open_link()
    if link:
        click.echo(_("A customer's survey, as they would open it from their e-mail:") + f"\n  {link}")
