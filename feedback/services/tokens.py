"""Random secrets that are stored only as hashes: survey link tokens and API keys."""

from __future__ import annotations

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
