"""Flask extensions, created unbound; the app factory binds them."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from feedback.models.base import Base
from feedback.ratelimit_storage import SweptMemoryStorage  # noqa: F401 -- registers memory+lazy://

db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def client_address() -> str:
    return request.remote_addr or "unknown"
