"""/api/v1/docs: the OpenAPI document in Swagger UI, served by the app itself (no CDN).

Swagger UI's files come from the flask-swagger-ui package (Swagger UI 5, which reads
OpenAPI 3.1); its page is ours, so the starting script carries the page's CSP nonce.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import abort, render_template, send_from_directory

from feedback.web.api import bp

ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
SERVED = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"}
)


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")


@bp.get("/docs/assets/<name>")
def docs_asset(name: str):
    if name not in SERVED:
        abort(404)
    return send_from_directory(ASSETS, name, max_age=86400)
