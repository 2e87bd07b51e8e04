"""`feedback users ...` and `feedback api-keys ...`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import _, translated
from feedback.services import accounts
from feedback.services.accounts import ROLES
from feedback.services.errors import Conflict, ValidationFailed


@click.group()
def users() -> None:
    """Manage staff accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the account may do.")
@click.option("--name", default="", help="Display name.")
@click.password_option(help="Initial password (prompted, twice, when omitted).")
@with_appcontext
def create_user(email: str, role: str, name: str, password: str) -> None:
    """Create a staff account with EMAIL and a role."""
    try:
        user = accounts.create_user(email, role, password, name)
    except ValidationFailed as exc:
        raise click.UsageError("; ".join(f"{f}: {translated(m)}" for f, m in exc.errors)) from None
    except Conflict as exc:
        raise click.ClickException(translated(exc.message)) from None
    click.echo(_("Created %(email)s with role %(role)s.", email=user.email, role=user.role))


@click.group("api-keys")
def api_keys() -> None:
    """Manage API keys for integrations."""


@api_keys.command("create")
@click.argument("name")
@with_appcontext
def create_key(name: str) -> None:
    """Create an API key called NAME and print it once (only its hash is stored)."""
    try:
        key, plaintext = accounts.create_api_key(name)
    except ValidationFailed as exc:
        raise click.UsageError("; ".join(translated(m) for _f, m in exc.errors)) from None
    click.echo(
        _(
            "API key %(name)s (id %(id)s). Store it now; it is not shown again:",
            name=repr(key.name),
            id=key.id,
        )
    )
    click.echo(plaintext)
