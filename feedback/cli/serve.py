"""`feedback serve`: the development server."""

from __future__ import annotations

import click
from flask import current_app
from werkzeug.serving import run_simple

from feedback.cli.demo import print_link
from feedback.cli.i18n import _
from feedback.config import serving_at
from feedback.services import demo as demo_service


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve the app with the development server (use gunicorn in production)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 -- compared, not bound
    serving_at(app, f"http://{shown}:{port}")
    click.echo(
        _(
            "Candor on %(address)s  (staff pages at /staff/, health at /healthz)",
            address=f"http://{shown}:{port}/",
        )
    )
    click.echo(_("Links in e-mails and on pages point at %(base)s.", base=app.config["BASE_URL"]))
    if demo_service.is_loaded():
        print_link()
    # app.run() refuses to start inside the flask CLI; werkzeug's server is what it would use.
    run_simple(host, port, app, threaded=True, use_reloader=False)
