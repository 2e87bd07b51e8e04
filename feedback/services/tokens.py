"""Random secrets that are stored only as hashes: survey link tokens and API keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TOKEN_BYTES = 18  # 144 bits: above the 128-bit floor, and a tidy 24-character link


def new_token(nbytes: int = TOKEN_BYTES) -> tuple[str, str]:
    """Return (token for the customer, SHA-256 hex digest to store)."""
    token = secrets.token_urlsafe(nbytes)
    return token, digest(token)


def digest(token: str) -> str:
    # A fast hash is enough: the tokens carry >= 128 random bits, so there is nothing to guess.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def link_token(nonce: str) -> str:
    """The survey link token for an invitation: HMAC-SHA256 of its nonce under the secret key.

    22 URL-safe characters, 132 bits. The database holds the nonce and the token's hash;
    without the secret key neither gives the token away.
    """
    from flask import current_app

    key = str(current_app.config["SECRET_KEY"]).encode()
    mac = hmac.new(key, f"candor-link:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:22]
