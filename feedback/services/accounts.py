"""Staff accounts, logins and API keys."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from feedback.extensions import db
from feedback.models import ROLES, ApiKey, StaffUser
from feedback.models.types import utcnow
from feedback.services import audit, tokens
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.persist import flush_or_conflict

MIN_PASSWORD = 10
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
API_KEY_PREFIX = "cnd_"
# Checked when the e-mail is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("candor-timing-equaliser")

# What each role may do; routes ask for a permission, not a role name.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_reports": frozenset({"admin", "analyst", "designer", "agent"}),
    "design_surveys": frozenset({"admin", "designer"}),
    "manage_dispatch": frozenset({"admin", "designer"}),
    "import_data": frozenset({"admin", "analyst"}),
    "follow_up": frozenset({"admin", "agent", "analyst"}),
    "manage_users": frozenset({"admin"}),
    "view_audit": frozenset({"admin"}),
}


def can(user: StaffUser | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return bool(user and user.is_active and user.role in PERMISSIONS[permission])


def load_user(user_id: str) -> StaffUser | None:
    """Flask-Login's loader: only active accounts stay logged in."""
    try:
        ident = int(user_id)
    except (TypeError, ValueError):
        return None
    user = db.session.get(StaffUser, ident)
    return user if user is not None and user.active else None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active user with these credentials, or None. Both outcomes are audited."""
    address = normalise_email(email or "")
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == address))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is not None and ok and user.active:
        user.last_login_at = utcnow()
        audit.record("login", actor=user)
        db.session.commit()
        return user
    audit.record("login_failed", actor_type="anonymous", actor_label=address[:320])
    db.session.commit()
    return None


def create_user(email: str, role: str, password: str, name: str = "") -> StaffUser:
    problems = []
    address = normalise_email(email or "")
    if not EMAIL_RE.match(address):
        problems.append(("email", "enter an e-mail address like name@example.com"))
    if role not in ROLES:
        problems.append(("role", f"choose one of {', '.join(ROLES)}"))
    if len(password or "") < MIN_PASSWORD:
        problems.append(("password", f"use at least {MIN_PASSWORD} characters"))
    if problems:
        raise ValidationFailed(problems)
    user = StaffUser(
        email=address, role=role, name=name.strip(), password_hash=generate_password_hash(password)
    )
    db.session.add(user)
    flush_or_conflict(f"a staff account for {address} already exists")
    audit.record("user_created", target=user, email=address, role=role)
    db.session.commit()
    return user


def set_active(user_id: int, active: bool, actor: StaffUser | None = None) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"staff user {user_id} does not exist")
    user.active = active
    audit.record("user_activated" if active else "user_deactivated", actor=actor, target=user)
    db.session.commit()
    return user


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.email)))


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(StaffUser)) or 0


def create_api_key(name: str, created_by: StaffUser | None = None) -> tuple[ApiKey, str]:
    """Return the key row and the plaintext key, which is shown once and never stored."""
    if not name or not name.strip() or len(name) > 100:
        raise ValidationFailed([("name", "give the key a name of 1-100 characters")])
    secret, _ = tokens.new_token(32)
    plaintext = API_KEY_PREFIX + secret
    key = ApiKey(
        name=name.strip(),
        prefix=plaintext[:10],
        key_hash=tokens.digest(plaintext),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(key)
    db.session.flush()
    audit.record("api_key_created", actor=created_by, target=key, name=key.name)
    db.session.commit()
    return key, plaintext


def revoke_api_key(key_id: int, actor: StaffUser | None = None) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    key.revoked_at = key.revoked_at or utcnow()
    audit.record("api_key_revoked", actor=actor, target=key)
    db.session.commit()
    return key


def find_api_key(plaintext: str) -> ApiKey | None:
    """The active key matching ``plaintext``; looked up by hash, so timing reveals nothing."""
    if not plaintext or not plaintext.startswith(API_KEY_PREFIX) or len(plaintext) > 200:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == tokens.digest(plaintext)))
    if key is None or key.revoked_at is not None:
        return None
    return key
