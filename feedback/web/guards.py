"""What every request must be before any view reads it.

JSON is parsed strictly: NaN and Infinity are not JSON (RFC 8259), nesting is capped, and
strings may hold no NUL or lone surrogate, which PostgreSQL refuses to store. Paths and
query strings are held to the same rule. Bodies are capped by ``MAX_CONTENT_LENGTH``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext

from feedback.services.errors import ValidationFailed

MAX_DEPTH = 32
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class JSONRefused(ValueError):
    """The body is not JSON Candor accepts; the message says why."""

    unstorable = False  # parsed, but holds what no column can store: the content is wrong (422)


def _constant(name: str):
    raise JSONRefused(f"{name} is not a JSON number")


def _check(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            refused = JSONRefused("a string holds a NUL character or a lone surrogate")
            refused.unstorable = True
            raise refused
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


def strict_loads(text: str | bytes) -> Any:
    try:
        value = json.loads(text, parse_constant=_constant)
    except RecursionError:
        raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels") from None
    _check(value)
    return value


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)


def body_problem() -> tuple[str, bool] | None:
    """Why the request's JSON body is refused, and whether it parsed (so that only its content
    is wrong), or None when it is accepted (or there is none)."""
    try:
        strict_loads(request.get_data(cache=True))
    except JSONRefused as exc:
        return str(exc), exc.unstorable
    except ValueError:
        return "the body is not valid JSON", False
    return None


# Endpoints whose bodies may exceed MAX_CONTENT_LENGTH, with their own ceiling.
LARGER_BODIES = {"staff.imports": 21 * 1024 * 1024}


def register(app: Flask) -> None:
    app.json = StrictJSONProvider(app)

    def _body_ceiling() -> None:
        ceiling = LARGER_BODIES.get(request.endpoint or "")
        if ceiling:
            request.max_content_length = ceiling

    # First of all, before CSRF protection reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, _body_ceiling)

    @app.before_request
    def _unstorable_input() -> None:
        # Respondent pages judge their own input (a bad link is "not valid", a bad score is
        # ignored), so a customer never meets a bare 400.
        if not request.path.startswith(("/api/", "/staff/")):
            return
        bad = [k for k, v in request.args.items(multi=True) if UNSTORABLE.search(k) or UNSTORABLE.search(v)]
        if UNSTORABLE.search(request.path):
            bad.append("path")
        if bad:
            # gettext: a staff page speaks the reader's language; the API's locale is English.
            raise ValidationFailed(
                [(name, gettext("holds a NUL character or a lone surrogate")) for name in bad],
                gettext("The address holds a NUL character or a lone surrogate."),
            )
