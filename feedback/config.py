"""Configuration: defaults, then FEEDBACK_* environment variables, then explicit overrides."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from limits import parse_many

DEV_SECRET_KEY = "candor-development-key-not-secret"  # noqa: S105 -- refused in production
ENVIRONMENTS = ("production", "development", "testing")
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

DEFAULTS: dict[str, Any] = {
    "ENV": "production",
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "BASE_URL": None,
    "COMPANY_NAME": "Candor",
    "PRIVACY_URL": None,
    "SMTP_HOST": None,  # localhost; in development, unset means "write mail to instance/mail"
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_TLS": False,
    "MAIL_FROM": "Candor <surveys@localhost>",
    "SMS_GATEWAY_URL": None,
    "RATELIMIT_STORAGE_URI": "memory+lazy://",
    "LOGIN_RATE_LIMIT": "10 per minute",
    "API_RATE_LIMIT": "600 per minute",
    "PUBLIC_RATE_LIMIT": "60 per minute",
    # Submissions to one open link from one address; a shop's shared Wi-Fi needs some room.
    "OPEN_LINK_RATE_LIMIT": "30 per hour",
    # All submissions to one survey's open link, whatever their address; reaching it is recorded.
    "OPEN_LINK_SURVEY_LIMIT": "500 per hour",
    "SMS_GATEWAY_TOKEN": None,
    "SMS_WEBHOOK_SECRET": None,
    "DEFAULT_PHONE_REGION": None,
    "LEASE_SECONDS": 120,
    "LOW_RESPONSE_RATE": 10.0,
    # A non-response warning needs Cramer's V of answered x category at least this, besides a
    # significant test: with huge samples trivial differences are significant (docs/analysis.md).
    "NON_RESPONSE_MIN_V": 0.05,
    # With no staff correction yet, tag with the rules and a model trained on the shipped seed set
    # (trained once, about ten seconds, and kept in the instance folder). The test suite runs
    # the rules alone unless it asks, so its expectations read from the rule files.
    "THEME_SEED_MODEL": True,
    "THANK_PROMOTERS": False,  # open a low-priority case to thank each promoter within a week
    # After a case is closed as resolved, ask its customer once "Did we fix it?" (e-mail or SMS,
    # under the survey's dispatch rule). Off until the company decides to write to customers.
    "FOLLOW_UP_RESOLVED": False,
    "FOLLOW_UP_DELAY_HOURS": 24,  # from the close, so the fix has had time to show
    "MIN_SEGMENT_N": 30,
    "TARGET_MARGIN": 5.0,
    # How the respondents were chosen (SAMPLING_DESIGNS). "none": they chose to answer, so no
    # finite population correction. "random-sample-of-purchasers": a random share of the
    # purchasers was invited and non-response is followed up, so the answers are a random
    # sample of the purchasers whose purchases entered the random draw (N, counted per report).
    "SAMPLING_DESIGN": "none",
    # Raking weights are trimmed to at most this many times the median weight (docs/analysis.md).
    "WEIGHT_CAP": 5.0,
    # The locale whose digits and calendar a reader of each language gets (feedback/formats.py).
    "FORMAT_LOCALES": None,  # None: feedback.formats.DEFAULT_FORMAT_LOCALES
    "BABEL_DEFAULT_LOCALE": "en",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_DAYS": 30,  # how long "keep me signed in" lasts
    "LOGIN_LOCKOUT_FAILURES": 10,  # failed passwords in a row that lock an account...
    "LOGIN_LOCKOUT_MINUTES": 15,  # ...for this long, from any address
    "REQUIRE_ADMIN_TWO_FACTOR": False,  # admins must set up one-time codes before anything else
    "API_AUTH_FAILURE_LIMIT": "30 per minute",  # bad API keys from one address, before 429
    "WTF_CSRF_TIME_LIMIT": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # Request bodies above this are refused with 413; the staff CSV upload allows its own size.
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
}


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("FEEDBACK")
    if overrides:
        app.config.update(overrides)
    env = app.config["ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"FEEDBACK_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    app.testing = env == "testing" or app.config.get("TESTING", False)
    _secret_key(app, env)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config["DATABASE_URL"], app.instance_path)
    _mail_and_links(app, env)
    # Flask's own defaults already hold SESSION_COOKIE_SECURE = False, so "was it given?" is
    # asked of the environment and the overrides, not of the config.
    https = str(app.config["BASE_URL"]).startswith("https://")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if f"FEEDBACK_{name}" not in os.environ and name not in (overrides or {}):
            app.config[name] = https
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=_days(app.config["REMEMBER_DAYS"]))
    app.config["RATELIMIT_ENABLED"] = app.config.get("RATELIMIT_ENABLED", True)
    if env == "testing" and "FEEDBACK_THEME_SEED_MODEL" not in os.environ:
        app.config["THEME_SEED_MODEL"] = bool((overrides or {}).get("THEME_SEED_MODEL", False))
    _rate_limits(app)
    _engine_options(app)
    _sampling_design(app)
    _weight_cap(app)


SAMPLING_DESIGNS = ("none", "random-sample-of-purchasers")


def _sampling_design(app: Flask) -> None:
    design = str(app.config["SAMPLING_DESIGN"]).strip().lower()
    if design not in SAMPLING_DESIGNS:
        raise ConfigError(
            f"FEEDBACK_SAMPLING_DESIGN must be one of {', '.join(SAMPLING_DESIGNS)}, not {design!r}"
        )
    app.config["SAMPLING_DESIGN"] = design


def _weight_cap(app: Flask) -> None:
    value = app.config["WEIGHT_CAP"]
    try:
        cap = float(value)
    except (TypeError, ValueError):
        cap = 0.0
    if not 1 < cap < float("inf") or isinstance(value, bool):
        raise ConfigError(
            f"FEEDBACK_WEIGHT_CAP must be a number above 1 (times the median weight), not {value!r}"
        )
    app.config["WEIGHT_CAP"] = cap


# Connections are replaced after an hour. psycopg prepares what a connection runs often,
# and PostgreSQL may keep a plan made while the tables were small; where autovacuum is off,
# nothing else would ever make it again (docs/deploying.md, "Database").
POOL_RECYCLE_SECONDS = 3600


def _engine_options(app: Flask) -> None:
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    if not isinstance(options, dict):
        raise ConfigError(
            "FEEDBACK_SQLALCHEMY_ENGINE_OPTIONS must be a JSON object, e.g. '{\"pool_size\": 10}', "
            f"not {options!r}"
        )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_recycle": POOL_RECYCLE_SECONDS, **options}


RATE_LIMITS = (
    "LOGIN_RATE_LIMIT",
    "API_RATE_LIMIT",
    "PUBLIC_RATE_LIMIT",
    "OPEN_LINK_RATE_LIMIT",
    "API_AUTH_FAILURE_LIMIT",
    "OPEN_LINK_SURVEY_LIMIT",
)


def _days(value) -> float:
    try:
        days = float(value)
    except (TypeError, ValueError):
        days = -1
    if not 0 < days <= 366:
        raise ConfigError(f"FEEDBACK_REMEMBER_DAYS must be a number of days from 1 to 366, not {value!r}")
    return days


def _rate_limits(app: Flask) -> None:
    """Refuse a limit that cannot be read now, rather than fail every request it guards."""
    for name in RATE_LIMITS:
        value = str(app.config[name])
        try:
            parse_many(value)
        except ValueError:
            raise ConfigError(
                f"FEEDBACK_{name} must be a rate limit such as '60 per minute' or '10/second;100/hour', "
                f"not {value!r}"
            ) from None
        app.config[name] = value


SERVED_URL_FILE = "served-url"


def _mail_and_links(app: Flask, env: str) -> None:
    """Development needs no mail server and no FEEDBACK_BASE_URL: mail goes to instance/mail, and
    links follow the address `feedback serve` last served on."""
    instance = Path(app.instance_path)
    if env == "development" and not app.config.get("SMTP_HOST"):
        app.config.setdefault("MAILBOX_DIR", str(instance / "mail"))
    if not app.config.get("SMTP_HOST"):
        app.config["SMTP_HOST"] = "localhost"
    if app.config.get("BASE_URL"):
        app.config["BASE_URL_GIVEN"] = True
        return
    app.config["BASE_URL_GIVEN"] = False
    served = instance / SERVED_URL_FILE
    if env == "development" and served.is_file():
        app.config["BASE_URL"] = served.read_text("utf-8").strip() or DEFAULT_BASE_URL
    else:
        app.config["BASE_URL"] = DEFAULT_BASE_URL


def serving_at(app: Flask, url: str) -> None:
    """`feedback serve` is listening at ``url``: in development, links (this process's and the
    worker's) point there unless FEEDBACK_BASE_URL says otherwise."""
    if app.config.get("BASE_URL_GIVEN") or app.config["ENV"] != "development":
        return
    app.config["BASE_URL"] = url
    path = Path(app.instance_path)
    path.mkdir(parents=True, exist_ok=True)
    (path / SERVED_URL_FILE).write_text(url + "\n", "utf-8")


def _secret_key(app: Flask, env: str) -> None:
    key = app.config.get("SECRET_KEY")
    if key is not None:
        key = str(key)  # from_prefixed_env parses numeric-looking values as JSON
    if env == "production":
        if not key or key == DEV_SECRET_KEY:
            raise ConfigError(
                "FEEDBACK_SECRET_KEY is not set. Production refuses the default key; generate one "
                "with: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if len(key) < 32:
            raise ConfigError("FEEDBACK_SECRET_KEY is too short; use at least 32 random characters")
    app.config["SECRET_KEY"] = key or DEV_SECRET_KEY


def database_uri(url: str | None, instance_path: str) -> str:
    """Normalise a database URL; default to SQLite under instance/."""
    if not url:
        path = Path(instance_path) / "feedback.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    url = str(url)
    # psycopg 3 is the driver we ship; SQLAlchemy would otherwise look for psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
