"""A one-page NPS + reason survey and sent invitations whose link tokens the bench knows."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta


def nps_reason_spec(key: str, name: str) -> dict:
    """The survey both submit benches post to: a required NPS score, then an optional reason."""
    return {
        "key": key,
        "name": name,
        "locales": ["en"],
        "questions": [
            {
                "key": "nps",
                "type": "nps",
                "role": "nps",
                "required": True,
                "text": {"en": "How likely are you to recommend us to a friend or colleague?"},
            },
            {
                "key": "reason",
                "type": "open_text",
                "role": "reason",
                "required": False,
                "text": {"en": "What is the main reason for your score?"},
            },
        ],
    }


def sent_invitations(survey_id: int, version_id: int, customer_ids) -> tuple[list[dict], list[str]]:
    """Invitation rows, sent now and valid 14 days, one per customer, and their link tokens."""
    from feedback.services import tokens

    now = datetime.now(UTC)
    rows, links = [], []
    for customer_id in customer_ids:
        nonce = secrets.token_hex(16)
        token = tokens.link_token(nonce)
        links.append(token)
        rows.append(
            {
                "survey_id": survey_id,
                "version_id": version_id,
                "customer_id": customer_id,
                "token_nonce": nonce,
                "token_hash": tokens.digest(token),
                "channel": "email",
                "locale": "en",
                "status": "sent",
                "sent_at": now,
                "expires_at": now + timedelta(days=14),
            }
        )
    return rows, links
