"""E-mail over SMTP. A delivered message is one the server accepted (RFC 5321 250 after DATA).

Addresses may be internationalised (``ñoño@example.com``, ``用户@例子.广告``). Where the server
offers SMTPUTF8 (RFC 6531) the message goes as UTF-8; otherwise an ASCII mailbox on a Unicode
domain is sent with the domain in IDNA form, and a Unicode mailbox fails permanently with
that reason, since no server without SMTPUTF8 can deliver it.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage

from feedback.channels.errors import PermanentFailure, TemporaryFailure

ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To")


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
                smtp.ehlo_or_helo_if_needed()
                if not _ascii_addresses(message) and not smtp.has_extn("smtputf8"):
                    message = ascii_domains(message)
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise (PermanentFailure if all(c >= 500 for c in codes) else TemporaryFailure)(
                f"recipient refused: {exc.recipients}"
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentFailure(f"the mail server cannot carry this address: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            kind = PermanentFailure if exc.smtp_code >= 500 and exc.smtp_code != 554 else TemporaryFailure
            raise kind(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except smtplib.SMTPAuthenticationError as exc:  # pragma: no cover - a configuration fault
            raise TemporaryFailure(f"SMTP authentication failed: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP unavailable: {exc}") from exc
        if refused:
            raise PermanentFailure(f"recipient refused: {refused}")


def _ascii_addresses(message: EmailMessage) -> bool:
    headers = [message[name] for name in ADDRESS_HEADERS if message[name] is not None]
    return all(a.addr_spec.isascii() for header in headers for a in header.addresses)


def ascii_domains(message: EmailMessage) -> EmailMessage:
    """The message with every address's domain in IDNA form, for a server without SMTPUTF8.

    A mailbox name outside ASCII cannot be written that way: PermanentFailure."""
    for name in ADDRESS_HEADERS:
        header = message[name]
        if header is None:
            continue
        rewritten = []
        for a in header.addresses:
            if not a.username.isascii():
                raise PermanentFailure(
                    f"{a.addr_spec} needs a mail server with SMTPUTF8, and this one does not offer it"
                )
            try:
                domain = a.domain.encode("idna").decode("ascii")
            except UnicodeError as exc:
                raise PermanentFailure(f"{a.addr_spec}: the domain is not valid IDNA ({exc})") from exc
            rewritten.append(Address(a.display_name, a.username, domain))
        message.replace_header(name, rewritten)
    return message
