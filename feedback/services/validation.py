"""Reading untrusted input (API bodies, CSV rows): every problem is collected with its field."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from email_validator import EmailNotValidError, validate_email

LOCALE_RE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z]{2})?$")
# C0/C1 controls (NUL, CR, LF...) and lone surrogates: nothing a person types into a field.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidirectional embeddings, overrides and isolates: they make a name read as something else.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
MAX_AMOUNT = Decimal("1e12")  # NUMERIC(14, 2) holds up to 999,999,999,999.99
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_PROPERTIES = 50
_ZONES = None


class Reader:
    """Collects (field, message) problems while reading one record."""

    def __init__(self, data: Any, prefix: str = ""):
        self.data = data if isinstance(data, dict) else {}
        self.prefix = prefix
        self.errors: list[tuple[str, str]] = []
        if not isinstance(data, dict):
            self.errors.append((prefix.rstrip(".") or "$", "must be a JSON object"))

    def fail(self, field: str, message: str) -> None:
        self.errors.append((self.prefix + field, message))

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return None if value == "" else value

    def text(self, field: str, *, required: bool = False, max_length: int = 200) -> str | None:
        value = self.raw(field)
        if value is None:
            if required:
                self.fail(field, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(field, "must be a string")
            return None
        value = str(value).strip()
        if UNSAFE.search(value):
            self.fail(field, "must not contain control characters (line breaks, NUL...)")
            return None
        if not value and required:
            self.fail(field, "is required")
            return None
        if len(value) > max_length:
            self.fail(field, f"must be at most {max_length} characters")
            return None
        return value or None

    def name(self, field: str = "name", *, max_length: int = 200) -> str | None:
        """A person's name: no control characters, and bidirectional overrides removed."""
        value = self.text(field, max_length=max_length)
        if value is None:
            return None
        return BIDI_CONTROLS.sub("", value).strip() or None

    def email(self, field: str = "email") -> str | None:
        value = self.text(field, max_length=320)
        if value is None:
            return None
        normalized, problem = _checked_email(value)
        if problem:
            self.fail(field, problem)
        return normalized

    def phone(self, field: str = "phone", region: str | None = None) -> str | None:
        value = self.text(field, max_length=40)
        if value is None:
            return None
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            self.fail(field, "not a valid phone number; use the international form, e.g. +44 7700 900123")
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def locale(self, field: str = "locale", default: str = "en") -> str:
        value = self.text(field, max_length=16)
        if value is None:
            return default
        if not LOCALE_RE.match(value) or not known_language(value):
            self.fail(field, "use a language code such as 'en', 'fa' or 'ar-AE'")
            return default
        return value.replace("_", "-").split("-")[0].lower() if len(value) > 3 else value.lower()

    def time_zone(self, field: str = "time_zone", default: str = "UTC") -> str:
        value = self.text(field, max_length=64)
        if value is None:
            return default
        if value not in _zones() or ("/" not in value and value != "UTC"):
            # 'localtime' and 'Factory' are files in the zone database, not places.
            self.fail(field, "use an IANA time zone such as 'Asia/Tehran' or 'Europe/London'")
            return default
        return value

    def moment(self, field: str, *, required: bool = False, now: datetime | None = None) -> datetime | None:
        value = self.raw(field)
        if value is None:
            if required:
                self.fail(field, "is required")
            return None
        if not isinstance(value, str):
            self.fail(field, "must be an ISO 8601 time, e.g. 2026-11-20T14:30:00Z")
            return None
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            self.fail(field, "must be an ISO 8601 time, e.g. 2026-11-20T14:30:00Z")
            return None
        if moment.tzinfo is None:
            self.fail(field, "needs a time zone, e.g. 2026-11-20T14:30:00Z or +03:30")
            return None
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:  # year 1 at +14:00, or 9999-12-31 at -14:00
            self.fail(field, "is outside the years 1 to 9999 in UTC")
            return None
        if now is not None and moment > now + timedelta(days=1):
            self.fail(field, "is in the future")
            return None
        if moment.year < 2000:
            self.fail(field, "is before 2000")
            return None
        return moment

    def amount(self, field: str = "amount") -> Decimal | None:
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(field, "must be a number")
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(field, "must be a number")
            return None
        if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
            self.fail(field, "must be a non-negative amount below 1,000,000,000,000")
            return None
        amount = amount.quantize(Decimal("0.01"))
        if amount >= MAX_AMOUNT:  # 999999999999.999 rounds up to a value the column cannot hold
            self.fail(field, "must be a non-negative amount below 1,000,000,000,000")
            return None
        return amount

    def currency(self, field: str = "currency", default: str = "USD") -> str:
        value = self.text(field, max_length=3)
        if value is None:
            return default
        if not CURRENCY_RE.match(value.upper()):
            self.fail(field, "use a three-letter ISO 4217 code such as 'EUR'")
            return default
        return value.upper()

    def properties(self, field: str = "properties") -> dict[str, Any]:
        value = self.raw(field)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(field, "must be an object of simple values")
            return {}
        if len(value) > MAX_PROPERTIES:
            self.fail(field, f"at most {MAX_PROPERTIES} properties")
            return {}
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key or len(key) > 64 or UNSAFE.search(key):
                self.fail(field, "property names are 1-64 characters, without control characters")
                continue
            if isinstance(item, str) and UNSAFE.search(item):
                self.fail(f"{field}.{key}", "must not contain control characters")
                continue
            if isinstance(item, float) and not math.isfinite(item):
                self.fail(f"{field}.{key}", "must be a finite number")
                continue
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) >= 2**53:
                self.fail(f"{field}.{key}", "must be a number below 2^53")
                continue
            if item is not None and not isinstance(item, (str, int, float, bool)):
                self.fail(f"{field}.{key}", "must be a string, number, true/false or null")
                continue
            if isinstance(item, str) and len(item) > 500:
                self.fail(f"{field}.{key}", "must be at most 500 characters")
                continue
            out[key] = item
        return out


@lru_cache(maxsize=65536)
def _checked_email(value: str) -> tuple[str | None, str | None]:
    """(normalized address, None) or (None, reason); cached, since imports repeat customers."""
    try:
        return validate_email(value, check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, f"not a valid e-mail address ({exc})"


@lru_cache(maxsize=512)
def known_language(code: str) -> bool:
    """A language CLDR knows (so 'zz' is refused), whatever its region."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_").split("_")[0])
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = set(available_timezones())
    return _ZONES


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
