"""Header rows of staff downloads in the reader's language.

Only the header row is translated: data cells keep ISO dates, codes and plain numbers, so a
sheet re-imports and sorts the same in every language. Question keys stay as authored. The
API and the CLI export keep the English header.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask_babel import get_locale, gettext


def column_names() -> dict[str, str]:
    # One gettext call per column, so that extraction finds every msgid.
    return {
        "response": gettext("response"),
        "submitted_at": gettext("submitted at"),
        "version": gettext("version"),
        "source": gettext("source"),
        "locale": gettext("language"),
        "customer": gettext("customer"),
        "tier": gettext("tier"),
        "channel": gettext("channel"),
        "region": gettext("region"),
        "category": gettext("category"),
        "store": gettext("store"),
        "themes": gettext("themes"),
        "section": gettext("section"),
        "metric": gettext("metric"),
        "segment": gettext("segment"),
        "period": gettext("period"),
        "value": gettext("value"),
        "low": gettext("low"),
        "high": gettext("high"),
        "n": gettext("n"),
        "note": gettext("note"),
    }


def localized(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """``rows`` with its first row (the header) in the current language; in English the
    header keeps the column names the API uses."""
    # Named now, while the request's locale is known; a streamed body is read later.
    english = str(get_locale() or "en").startswith("en")
    return _renamed(rows, {} if english else column_names())


def _renamed(rows: Iterable[tuple[Any, ...]], names: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    it = iter(rows)
    header = next(it, None)
    if header is None:
        return
    yield tuple(names.get(c, c) if isinstance(c, str) else c for c in header)
    yield from it
