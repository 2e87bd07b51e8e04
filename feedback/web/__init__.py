"""HTTP: one blueprint per audience (respond, staff, api) plus health and error pages."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter


def register_blueprints(app: Flask) -> None:
    from feedback.web.api import bp as api_bp
    from feedback.web.health import bp as health_bp
    from feedback.web.respond import bp as respond_bp
    from feedback.web.staff import bp as staff_bp

    # Ids in paths are 64-bit: a longer number is "not found", not a database overflow.
    app.url_map.converters["int"] = Int64Converter
    app.register_blueprint(health_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


class Int64Converter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def register_errorhandlers(app: Flask) -> None:
    from feedback.web import errors, guards

    guards.register(app)
    errors.register(app)
