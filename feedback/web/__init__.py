"""HTTP: one blueprint per audience (respond, staff, api) plus health and error pages."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from feedback.web.api import bp as api_bp
    from feedback.web.health import bp as health_bp
    from feedback.web.respond import bp as respond_bp
    from feedback.web.staff import bp as staff_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def register_errorhandlers(app: Flask) -> None:
    from feedback.web import errors

    errors.register(app)
