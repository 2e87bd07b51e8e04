"""The `feedback` command: a Flask CLI group with one sub-group per domain."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def register_commands(app: Flask) -> None:
    from feedback.cli import accounts, demo, imports, insights, report, serve, tiers, webhooks, worker

    app.cli.add_command(serve.serve)
    app.cli.add_command(report.report)
    app.cli.add_command(tiers.tiers)
    app.cli.add_command(worker.worker)
    app.cli.add_command(imports.import_)
    app.cli.add_command(demo.demo)
    app.cli.add_command(accounts.users)
    app.cli.add_command(accounts.api_keys)
    app.cli.add_command(insights.groups_cli)
    app.cli.add_command(insights.themes_cli)
    app.cli.add_command(insights.export_cli)
    app.cli.add_command(webhooks.webhooks_cli)


def _create_app() -> Flask:
    from feedback import create_app
    from feedback.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, load_dotenv=False)
def main() -> None:
    """Candor: post-purchase surveys, honest statistics, the voice of the customer.

    Configuration comes from FEEDBACK_* environment variables (see the README).
    """


def _pure_commands() -> None:
    # Commands that need no application, so they work without any configuration.
    from feedback.cli.lint import lint

    main.add_command(lint)


_pure_commands()
