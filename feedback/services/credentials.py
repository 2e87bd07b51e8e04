"""What a staff password must be, when an account locks, and one-time codes (TOTP, RFC 6238).

Password strength is judged by zxcvbn (Dropbox's estimator, with its lists of common
passwords, names and keyboard patterns), with the account's own e-mail address as a
word it knows; a password must also not contain the address or its mailbox name.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pyotp
from flask_babel import gettext
from zxcvbn import zxcvbn

MIN_PASSWORD = 10
MIN_STRENGTH = 3  # zxcvbn's "safely unguessable": about 10^8 guesses or more
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; beyond it length alone makes a password strong
TOTP_ISSUER = "Candor"


def password_problems(password: str | None, email: str) -> list[str]:
    """Why ``password`` is refused for the account ``email`` (empty: it is accepted)."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return [gettext("use at least %(num)s characters", num=MIN_PASSWORD)]
    lowered, address = password.lower(), email.strip().lower()
    mailbox = address.partition("@")[0]
    if (address and address in lowered) or (len(mailbox) >= 3 and mailbox in lowered):
        return [gettext("must not contain your e-mail address")]
    verdict = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[address, mailbox])
    if verdict["score"] < MIN_STRENGTH:
        why = verdict["feedback"].get("warning") or gettext("it is among the passwords guessed first")
        return [
            gettext(
                "too easy to guess: %(why)s. A few unrelated words make a strong password",
                why=why.rstrip("."),
            )
        ]
    return []


def locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def lock_after(failures: int, threshold: int, minutes: int, now: datetime) -> datetime | None:
    """When ``failures`` reaches the threshold, the time the account stays locked until."""
    return now + timedelta(minutes=minutes) if threshold and failures >= threshold else None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, company: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=company or TOTP_ISSUER)


def totp_step(secret: str, code: str | None, last_step: int | None, now: float | None = None) -> int | None:
    """The time step ``code`` is good for (the current one, or one either side for clock
    drift), or None. A step at or before ``last_step`` is refused: each code works once."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = now if now is not None else time.time()
    current = int(moment // totp.interval)
    for step in (current, current - 1, current + 1):
        if totp.generate_otp(step) == code and (last_step is None or step > last_step):
            return step
    return None
