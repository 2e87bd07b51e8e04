"""Staff accounts, logins and API keys.

A session or remember-me cookie names the account and its ``session_version``; signing out,
a new password, a new role or disabling the account raise the version, so every cookie
issued before stops working, checked on the server at each request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from feedback.extensions import db
from feedback.models import ROLES, ApiKey, StaffUser
from feedback.models.types import utcnow
from feedback.services import audit, credentials, tokens
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.persist import flush_or_conflict

MIN_PASSWORD = credentials.MIN_PASSWORD
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
    # Customers' e-mail addresses and phone numbers, in records and in what they typed.
    "see_contacts": frozenset({"admin", "agent"}),
    "correct_themes": frozenset({"admin", "designer", "analyst"}),
    "work_cases": frozenset({"admin", "agent"}),
    "manage_users": frozenset({"admin"}),
    "view_audit": frozenset({"admin"}),
}


def can(user: StaffUser | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return bool(user and user.is_active and user.role in PERMISSIONS[permission])


def load_user(user_id: str) -> StaffUser | None:
    """Flask-Login's loader: only active accounts, and only sessions of their current version."""
    ident, _, version = str(user_id or "").partition(".")
    if not (ident.isascii() and ident.isdigit() and version.isascii() and version.isdigit()):
        return None
    if int(ident) >= 2**63:
        return None
    user = db.session.get(StaffUser, int(ident))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user: StaffUser, actor: StaffUser | None = None, why: str = "signed_out") -> None:
    """Every session and remember-me cookie of ``user`` stops working (in the caller's transaction)."""
    user.session_version = (user.session_version or 1) + 1
    audit.record("sessions_ended", actor=actor or user, target=user, why=why)


def sign_out(user: StaffUser, *, everywhere: bool = False) -> None:
    """Signing out ends every session of the account, so a copied cookie dies with this one."""
    end_sessions(user, why="signed_out_everywhere" if everywhere else "signed_out")
    db.session.commit()


@dataclass(frozen=True)
class SignIn:
    """The result of a password check: ``user`` when it passed; ``locked`` when the account is
    locked out; ``needs_code`` when a one-time code must follow."""

    user: StaffUser | None
    locked: bool = False
    needs_code: bool = False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active user with these credentials and no second step due, or None."""
    result = check_password(email, password)
    return result.user if result.user is not None and not result.needs_code else None


def check_password(email: str, password: str) -> SignIn:
    """Check a password, counting failures per account: after ``LOGIN_LOCKOUT_FAILURES`` the
    account is locked for ``LOGIN_LOCKOUT_MINUTES``, whatever address the attempts come from.
    Every outcome is audited."""
    config = current_app.config
    now = utcnow()
    address = normalise_email(email or "")
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == address))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is not None and credentials.locked(user.locked_until, now):
        audit.record("login_refused_locked", actor_type="anonymous", actor_label=address[:320], target=user)
        db.session.commit()
        return SignIn(None, locked=True)
    if user is not None and ok and user.active:
        user.failed_logins, user.locked_until = 0, None
        if user.totp_secret:
            db.session.commit()
            return SignIn(user, needs_code=True)
        _signed_in(user, now)
        return SignIn(user)
    if user is not None:
        user.failed_logins = (user.failed_logins or 0) + 1
        user.locked_until = credentials.lock_after(
            user.failed_logins,
            int(config.get("LOGIN_LOCKOUT_FAILURES", 10)),
            int(config.get("LOGIN_LOCKOUT_MINUTES", 15)),
            now,
        )
        if user.locked_until:
            user.failed_logins = 0
            audit.record("account_locked", target=user, minutes=config.get("LOGIN_LOCKOUT_MINUTES", 15))
    audit.record("login_failed", actor_type="anonymous", actor_label=address[:320])
    db.session.commit()
    return SignIn(None)


def check_code(user_id: int, code: str) -> StaffUser | None:
    """The second step: the account's current one-time code, each code good once."""
    user = db.session.get(StaffUser, user_id)
    if user is None or not user.active or not user.totp_secret:
        return None
    step = credentials.totp_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        audit.record("login_code_failed", actor_type="anonymous", actor_label=user.email, target=user)
        db.session.commit()
        return None
    user.totp_last_step = step
    _signed_in(user, utcnow())
    return user


def _signed_in(user: StaffUser, now) -> None:
    user.last_login_at = now
    audit.record("login", actor=user)
    db.session.commit()


def change_password(user: StaffUser, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed([("current_password", gettext("this is not your current password"))])
    problems = credentials.password_problems(new, user.email)
    if problems:
        raise ValidationFailed([("new_password", p) for p in problems])
    user.password_hash = generate_password_hash(new)
    end_sessions(user, why="password_changed")
    db.session.commit()


def set_role(user_id: int, role: str, actor: StaffUser | None = None) -> StaffUser:
    if role not in ROLES:
        raise ValidationFailed([("role", gettext("choose one of %(choices)s", choices=", ".join(ROLES)))])
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"staff user {user_id} does not exist")
    if user.role != role:
        audit.record("user_role_changed", actor=actor, target=user, before=user.role, after=role)
        user.role = role
        end_sessions(user, actor, why="role_changed")
    db.session.commit()
    return user


def start_two_factor(user: StaffUser, secret: str, code: str) -> bool:
    """Turn on one-time codes once the person shows a code from their app for ``secret``."""
    step = credentials.totp_step(secret, code, None)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    audit.record("two_factor_enabled", actor=user, target=user)
    db.session.commit()
    return True


def stop_two_factor(user: StaffUser, code: str) -> bool:
    if not user.totp_secret or credentials.totp_step(user.totp_secret, code, user.totp_last_step) is None:
        return False
    user.totp_secret = user.totp_last_step = None
    audit.record("two_factor_disabled", actor=user, target=user)
    db.session.commit()
    return True


def create_user(email: str, role: str, password: str, name: str = "") -> StaffUser:
    problems = []
    address = normalise_email(email or "")
    if not EMAIL_RE.match(address):
        problems.append(("email", gettext("enter an e-mail address like name@example.com")))
    if role not in ROLES:
        problems.append(("role", gettext("choose one of %(choices)s", choices=", ".join(ROLES))))
    problems += [("password", p) for p in credentials.password_problems(password, address)]
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
    if not active:
        end_sessions(user, actor, why="deactivated")
    db.session.commit()
    return user


STAFF_LANGUAGES = ("en", "fa", "ar", "ru")


def set_language(user: StaffUser, language: str | None) -> StaffUser:
    """The language the back office speaks to ``user``; None: the browser's preference."""
    if language not in (None, *STAFF_LANGUAGES):
        raise ValidationFailed(
            [("language", gettext("choose one of: %(choices)s", choices=", ".join(STAFF_LANGUAGES)))]
        )
    user.locale = language
    db.session.commit()
    return user


def get_user(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.email)))


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(StaffUser)) or 0


def create_api_key(name: str, created_by: StaffUser | None = None) -> tuple[ApiKey, str]:
    """Return the key row and the plaintext key, which is shown once and never stored."""
    if not name or not name.strip() or len(name) > 100:
        raise ValidationFailed([("name", gettext("give the key a name of 1-100 characters"))])
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
