"""Candor, the web application. ``create_app`` assembles it and does nothing else."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

__all__ = ["create_app"]

_PACKAGE = Path(__file__).resolve().parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides defaults and FEEDBACK_* variables."""
    from feedback import config as settings
    from feedback.cli import register_commands
    from feedback.setup import register_extensions, register_hooks
    from feedback.web import register_blueprints, register_errorhandlers

    app = Flask(
        __name__,
        instance_path=os.environ.get("FEEDBACK_INSTANCE_PATH") or None,
        template_folder=str(_templates_dir()),
        static_folder="static",
    )
    settings.load(app, config)
    register_extensions(app)
    register_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _templates_dir() -> Path:
    # In the wheel the templates sit inside the package; in a source tree, next to it.
    packaged = _PACKAGE / "templates"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "templates"
