"""Finding the invitation behind a link token (compared by hash, in constant time)."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Customer, Invitation
from feedback.services import tokens

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def invitation_for(token: str) -> Invitation | None:
    if not token or not TOKEN_RE.match(token):
        return None
    digest = tokens.digest(token)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == digest))
    if invitation is None or not tokens.same(invitation.token_hash, digest):
        return None
    return invitation


def customer_for(invitation: Invitation) -> Customer:
    return db.session.get(Customer, invitation.customer_id)
