"""Babel extraction of the wording rules' messages, so that staff read them in their language.

babel.cfg names ``extract`` for ``surveys/wording/rules/*.toml``. Every ``message`` and
``advice`` string in a rules file is a msgid, written as the checker will ask for it: its
``{match}`` placeholder in gettext's ``%(match)s`` form (``messages.percent_style``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from typing import Any

from surveys.messages import percent_style

KEYS = ("message", "advice")
_LINE = re.compile(r'^\s*(message|advice)\s*=\s*"(.*)"\s*$')


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """(line, funcname, msgid, comments) for each rule text, as babel's extractors yield them."""
    raw = fileobj.read()
    source = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    lines = {}
    for number, line in enumerate(source.splitlines(), start=1):
        found = _LINE.match(line)
        if found:
            lines.setdefault(found.group(2), number)
    for text in _texts(tomllib.loads(source)):
        yield lines.get(text, 0), "_", percent_style(text), []


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in KEYS and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)
