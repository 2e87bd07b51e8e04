"""SMS: segment counting as carriers do it, and a JSON-over-HTTP gateway."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from feedback.channels.errors import PermanentFailure, TemporaryFailure

# GSM 03.38 default alphabet; the extension characters take two septets each.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")


def encoding(text: str) -> str:
    return "GSM-7" if all(c in GSM_BASIC or c in GSM_EXTENDED for c in text) else "UCS-2"


def length_units(text: str) -> int:
    """Septets for GSM-7; UTF-16 code units for UCS-2 (an emoji counts two)."""
    if encoding(text) == "GSM-7":
        return sum(2 if c in GSM_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS parts the text needs (3GPP TS 23.040: 160/153 septets, 70/67 UCS-2 units)."""
    units = length_units(text)
    single, multi = (160, 153) if encoding(text) == "GSM-7" else (70, 67)
    if units <= single:
        return 1
    return -(-units // multi)


@dataclass(frozen=True)
class HttpSmsSender:
    """POSTs {"to", "text", "idempotency_key"} as JSON to the gateway; 2xx is accepted."""

    url: str
    token: str | None = None
    timeout: float = 10.0

    def send(self, to: str, text: str, idempotency_key: str) -> None:
        body = json.dumps({"to": to, "text": text, "idempotency_key": idempotency_key}).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            kind = TemporaryFailure if exc.code >= 500 or exc.code == 429 else PermanentFailure
            raise kind(f"SMS gateway answered {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TemporaryFailure(f"SMS gateway unavailable: {exc}") from exc
