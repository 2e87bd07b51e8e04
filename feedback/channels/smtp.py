"""E-mail over SMTP. A delivered message is one the server accepted (RFC 5321 250 after DATA)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from feedback.channels.errors import PermanentFailure, TemporaryFailure


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    tls: bool = False
    timeout: float = 20.0

    def send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise (PermanentFailure if all(c >= 500 for c in codes) else TemporaryFailure)(
                f"recipient refused: {exc.recipients}"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            kind = PermanentFailure if exc.smtp_code >= 500 and exc.smtp_code != 554 else TemporaryFailure
            raise kind(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except smtplib.SMTPAuthenticationError as exc:  # pragma: no cover - a configuration fault
            raise TemporaryFailure(f"SMTP authentication failed: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP unavailable: {exc}") from exc
        if refused:
            raise PermanentFailure(f"recipient refused: {refused}")
