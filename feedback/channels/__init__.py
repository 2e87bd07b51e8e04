"""Getting messages out: SMTP and an HTTP SMS gateway. Transport only; no business rules here."""

from pathlib import Path

from feedback.channels.errors import PermanentFailure, SendFailure, TemporaryFailure

__all__ = ["PermanentFailure", "SendFailure", "TemporaryFailure", "email_sender"]


def email_sender(config):
    """The e-mail transport the configuration names: a folder of .eml files (MAILBOX_DIR) or SMTP."""
    from feedback.channels.mailbox import MailboxSender
    from feedback.channels.smtp import SmtpSender

    if config.get("MAILBOX_DIR"):
        return MailboxSender(Path(config["MAILBOX_DIR"]))
    return SmtpSender(
        config["SMTP_HOST"],
        int(config["SMTP_PORT"]),
        config.get("SMTP_USER"),
        config.get("SMTP_PASSWORD"),
        bool(config.get("SMTP_TLS")),
    )
