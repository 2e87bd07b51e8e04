"""Binding extensions and request hooks to an app (called by create_app)."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from feedback import formats
from feedback.extensions import babel, csrf, db, limiter, login_manager, migrate

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")
LOCALES = ("en", "fa", "ar", "ru")


def register_extensions(app: Flask) -> None:
    from feedback.services import accounts

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(accounts.load_user)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations"))
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    proxies = int(app.config.get("PROXY_COUNT", 0) or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def reader_locale() -> str:
    """The formatting locale for the page's language (FEEDBACK_FORMAT_LOCALES maps e.g. ar to ar_SA)."""
    from flask import current_app

    return formats.format_locale(str(get_locale() or "en"), current_app.config.get("FORMAT_LOCALES"))


def select_locale() -> str:
    """The respondent's locale when a page set one, else the browser's preference."""
    chosen = g.get("locale")
    if chosen:
        return chosen
    if not has_request_context():  # the worker and the CLI: English unless a caller forces one
        return "en"
    if request.path.startswith("/api/"):  # API messages are a contract with programs: English
        return "en"
    return request.accept_languages.best_match(LOCALES) or "en"


def register_hooks(app: Flask) -> None:
    from feedback.services import persist

    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.template_filter("script_json")
    def _script_json(text: str) -> Markup:
        # JSON inside <script> must not be able to close the tag.
        escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(escaped)  # noqa: S704 -- escaped above for the script context

    @app.template_filter("pvalue")
    def _pvalue(p: float) -> str:
        return "< 0.001" if p < 0.001 else f"= {p:.3f}"

    @app.template_filter("localnumber")
    def _localnumber(value: float) -> str:
        return formats.number(value, reader_locale())

    @app.template_filter("localdigits")
    def _localdigits(text) -> str:
        return formats.digits(str(text), reader_locale())

    @app.context_processor
    def _template_globals() -> dict:
        return {"csp_nonce": lambda: g.get("csp_nonce", ""), "company": app.config["COMPANY_NAME"]}

    app.teardown_appcontext(persist.release)

    @app.after_request
    def _security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers and one writer coexist.
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
