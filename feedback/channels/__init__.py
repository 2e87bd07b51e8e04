"""Getting messages out: SMTP and an HTTP SMS gateway. Transport only; no business rules here."""

from feedback.channels.errors import PermanentFailure, TemporaryFailure

__all__ = ["PermanentFailure", "TemporaryFailure"]
