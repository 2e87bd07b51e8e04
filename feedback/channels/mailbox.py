"""E-mail into a folder, one .eml file per message: development without an SMTP server.

A newcomer sees what customers would receive (open the file in any mail program) and
can follow the personal links, without setting up mail.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_binary_file, policy
from email.message import EmailMessage
from pathlib import Path

from feedback.channels.errors import TemporaryFailure

NAME = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{12}\.eml$")


@dataclass(frozen=True)
class MailboxSender:
    folder: Path

    def send(self, message: EmailMessage) -> None:
        name = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(6)}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_bytes(message.as_bytes(policy=policy.SMTPUTF8))
        except OSError as exc:
            raise TemporaryFailure(f"cannot write {self.folder / name}: {exc}") from exc


def latest(folder: Path, limit: int = 10) -> list[dict]:
    """The newest messages in ``folder``: file name, time, recipient and subject."""
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if NAME.match(p.name)), reverse=True)[:limit]
    out = []
    for name in names:
        with (folder / name).open("rb") as handle:
            message = message_from_binary_file(handle, policy=policy.default)
        out.append(
            {
                "name": name,
                "to": str(message["To"] or ""),
                "subject": str(message["Subject"] or ""),
                "date": str(message["Date"] or ""),
            }
        )
    return out


def read(folder: Path, name: str) -> EmailMessage | None:
    """One stored message by its file name; None for a name this folder never wrote."""
    path = folder / name
    if not NAME.match(name) or not path.is_file():
        return None
    with path.open("rb") as handle:
        return message_from_binary_file(handle, policy=policy.default)
