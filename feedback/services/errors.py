"""Domain errors that the blueprints translate into HTTP answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base class; ``message`` is safe to show to the caller."""

    status = 400
    errors: list[tuple[str, str]] | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unreadable(DomainError):
    """The request could not be read at all (not JSON, say): 400, with the reason as an error."""

    status = 400

    def __init__(self, errors: list[tuple[str, str]], message: str = "The body could not be read."):
        super().__init__(message)
        self.errors = errors


class ValidationFailed(DomainError):
    """Bad input; ``errors`` lists every problem as (field, message)."""

    status = 422

    def __init__(self, errors: list[tuple[str, str]], message: str = "The input is not valid."):
        super().__init__(message)
        self.errors = errors
