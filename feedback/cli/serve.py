"""`feedback serve`: the development server."""

from __future__ import annotations

import click
from flask import current_app
from werkzeug.serving import run_simple


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve the app with the development server (use gunicorn in production)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"Candor on http://{host}:{port}/  (staff pages at /staff/, health at /healthz)")
    # app.run() refuses to start inside the flask CLI; werkzeug's server is what it would use.
    run_simple(host, port, app, threaded=True, use_reloader=False)
