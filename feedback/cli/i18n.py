"""What the `feedback` command prints for people, in their language.

The language is ``FEEDBACK_LOCALE`` when set, else the POSIX locale (``LC_ALL``, then
``LC_MESSAGES``, then ``LANG``), else English. Only the lines a person reads go through
here: ``--help`` texts stay English, and JSON output, file contents and the strings the
worker stores are never translated, so that scripts and the database do not depend on who
ran the command.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from surveys.messages import Message

CATALOGS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("en", "fa", "ar", "ru")


def cli_locale(environ: Mapping[str, str] | None = None) -> str:
    """The language of the terminal's reader: one of ``LANGUAGES``."""
    env = os.environ if environ is None else environ
    for name in ("FEEDBACK_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(name) or "").strip()
        if value:
            # "ru_RU.UTF-8", "fa-IR", "ar@latin": the language is what comes first. As in
            # POSIX, the first variable set decides, so LC_ALL=C means English whatever LANG says.
            language = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            return language if language in LANGUAGES else "en"
    return "en"


@cache
def _catalog(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(CATALOGS), [language])


def _(message: str, **variables) -> str:
    """``message`` in the reader's language, with ``%(name)s`` placeholders filled in."""
    text = _catalog(cli_locale()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or plural form that fits ``num`` in the reader's language."""
    variables.setdefault("num", num)
    return _catalog(cli_locale()).ngettext(singular, plural, num) % variables


def translated(message: str) -> str:
    """A finished English message from a service (an error, say), in the reader's language
    when the catalogs have it; the services mark such messages where they are written. A
    ``surveys`` message (a wording finding, a survey's problem) is translated sentence by
    sentence, with its values filled in again."""
    catalog = _catalog(cli_locale())
    if isinstance(message, Message):
        return message.render(catalog.gettext)
    return catalog.gettext(message)
