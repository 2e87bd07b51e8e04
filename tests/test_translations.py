"""Every string a customer can see is translated into Persian, Arabic and Russian.

The strings are extracted from the sources as `make translations` does (babel.cfg), so a
new string without its translations fails here, not in a customer's inbox.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "feedback" / "translations"
# What a customer sees: respondent pages, invitation e-mails and SMS, the question macros.
CUSTOMER_FACING = (
    "templates/respond/",
    "templates/email/",
    "templates/macros/questions.html",
    "feedback/web/respond/",
    "feedback/services/dispatch/messages.py",
)
METHODS = [("feedback/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def _extracted() -> dict[str, str]:
    """msgid -> the first file it came from, for every customer-facing string."""
    found: dict[str, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, options_map={"templates/**": {"extensions": "jinja2.ext.i18n"}}
    ):
        if not filename.startswith(CUSTOMER_FACING):
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, filename)
    return found


def test_the_customer_facing_sources_are_extracted():
    found = _extracted()
    assert "Open the survey:" in found and found["Open the survey:"].endswith(".txt")  # the plain-text mail
    assert "Submit" in found and "Please answer this question." in found


@pytest.mark.parametrize("locale", ["fa", "ar", "ru"])
def test_every_customer_facing_string_is_translated(locale):
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    missing = []
    for msgid, source in _extracted().items():
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(values):
            missing.append(f"{source}: {msgid!r}")
    assert missing == [], f"{len(missing)} strings lack a {locale} translation"
