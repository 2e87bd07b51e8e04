"""Published survey versions, parsed once per process.

A published version never changes, so the respondent pages need not parse its JSON on
every request. Entries are keyed by id and hold the publication time, which every lookup
must match, so a reused id (SQLite may reuse the largest id after a delete) can never
return another survey.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

import surveys
from feedback.extensions import db
from feedback.models import SurveyVersion
from feedback.services.errors import NotFound
from feedback.services.respond.answer_rows import Layout, layout_of
from surveys import serialize

CACHE_SIZE = 256


@dataclass(frozen=True)
class Published:
    version_id: int
    survey_id: int
    spec: surveys.Survey
    layout: Layout


def published(version_id: int, published_at: datetime | None = None) -> Published:
    cache = _cache()
    hit = cache.get(version_id)
    if hit is not None and published_at is not None and hit[0] == published_at:
        cache.move_to_end(version_id)
        return hit[1]
    version = db.session.get(SurveyVersion, version_id)
    if version is None:
        raise NotFound(f"survey version {version_id} does not exist")
    spec = serialize.from_dict(version.definition)
    entry = Published(
        version.id, version.survey_id, spec, layout_of(spec, {q.key: q.id for q in version.questions})
    )
    if version.status == "published" and version.published_at is not None:
        cache[version.id] = (version.published_at, entry)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return entry


def cached(version_id: int) -> tuple[datetime, Published] | None:
    """(publication time, version) if this process has the version parsed already; never
    reads the database. The caller must check the publication time against the database."""
    return _cache().get(version_id)


def _cache() -> OrderedDict[int, tuple[datetime, Published]]:
    return current_app.extensions.setdefault("candor.published", OrderedDict())
