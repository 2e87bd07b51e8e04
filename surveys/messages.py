"""English sentences that remember how they were made, so a reader's language can be put back.

``surveys`` is pure Python and speaks English: the API, the CLI's JSON and stored records show
its messages as they are. A staff page or a terminal wants them in the reader's language, so a
message is a :class:`Message`: a ``str`` whose value is the English sentence, which also keeps
the msgid and the values it was filled with. :func:`_` makes one and marks its msgid for
extraction (babel's default keyword); it does not translate, because this layer knows no
reader. The web and CLI layers translate each msgid and fill in the values again.
"""

from __future__ import annotations

import re
from typing import Any


def _(msgid: str, **params: Any) -> Message:
    """The English :class:`Message` ``msgid % params``, translated later where it is shown."""
    return Message(msgid, **params)


class Message(str):
    """``msgid % params`` in English; ``parts`` lists each sentence's (msgid, params)."""

    parts: tuple[tuple[str, dict[str, Any]], ...]

    def __new__(cls, msgid: str, **params: Any) -> Message:
        text = super().__new__(cls, msgid % params if params else msgid)
        text.parts = ((msgid, params),)
        return text

    @classmethod
    def joined(cls, *texts: str) -> Message:
        """Sentences shown one after the other, each translated on its own."""
        parts = tuple(p for t in texts if t for p in (t.parts if isinstance(t, Message) else ((t, {}),)))
        out = super().__new__(cls, " ".join(_filled(m, p) for m, p in parts))
        out.parts = parts
        return out

    def render(self, gettext, value=str) -> str:
        """The sentences through ``gettext``; ``value`` writes each parameter (digits, say)."""
        return " ".join(_filled(gettext(m), {k: value(v) for k, v in p.items()}) for m, p in self.parts)


def render(message: str, gettext, value=str) -> str:
    """``message`` in the reader's language when it is a :class:`Message`, else as it is."""
    return message.render(gettext, value) if isinstance(message, Message) else message


def _filled(msgid: str, params: dict[str, Any]) -> str:
    return msgid % params if params else msgid


_BRACED = re.compile(r"\{(\w+)\}")


def percent_style(template: str) -> str:
    """A ``str.format`` template ("«{match}» ...") as a gettext msgid ("«%(match)s» ...")."""
    if not _BRACED.search(template):
        return template  # no values to fill in, so a literal % stays as it is
    return _BRACED.sub(r"%(\1)s", template.replace("%", "%%"))
