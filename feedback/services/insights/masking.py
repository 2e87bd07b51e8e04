"""Contact details customers typed into their comments, hidden from roles that may not see
them: e-mail addresses and phone numbers (Latin, Persian or Arabic-Indic digits)."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
# Seven digits or more, with the separators people type between them.
PHONE = re.compile(rf"(?:\+|00)?{DIGIT}(?:[ ()./\-]?{DIGIT}){{6,}}")
MASK = "•••"


def mask(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by a mask."""
    return PHONE.sub(MASK, EMAIL.sub(MASK, text))
