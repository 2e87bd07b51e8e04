"""How a send can fail: worth retrying, or not."""


class SendFailure(Exception):
    """A message could not be handed over."""


class TemporaryFailure(SendFailure):
    """Try again later (connection refused, 4xx from the server, timeout)."""


class PermanentFailure(SendFailure):
    """Retrying will not help (address rejected, 5xx on the recipient, bad request to the gateway)."""
