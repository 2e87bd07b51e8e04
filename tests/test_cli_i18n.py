"""The `feedback` command prints for people in their language: FEEDBACK_LOCALE, else the
POSIX locale, else English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from feedback.cli.i18n import cli_locale

CATALOGS = Path(__file__).resolve().parent.parent / "feedback" / "translations"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "ru_RU.UTF-8", "LC_ALL": "C"}, "en"),  # the first variable set decides
        ({"LC_MESSAGES": "ar_EG.UTF-8", "LANG": "ru_RU.UTF-8"}, "ar"),
        ({"FEEDBACK_LOCALE": "fa-IR", "LC_ALL": "ru_RU.UTF-8"}, "fa"),
        ({"FEEDBACK_LOCALE": "de"}, "en"),  # not a language Candor speaks
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_the_language_comes_from_the_environment(environ, expected):
    assert cli_locale(environ) == expected


def test_a_cli_message_comes_out_in_russian_under_feedback_locale(runner):
    with (CATALOGS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        none = read_po(handle, locale="ru").get("none").string
    assert none and none != "none"
    english = runner.invoke(args=["groups", "list"], env={"FEEDBACK_LOCALE": "en"})
    assert english.exit_code == 0, english.output
    assert "members: none" in english.output  # the default groups have no members yet
    russian = runner.invoke(args=["groups", "list"], env={"FEEDBACK_LOCALE": "ru"})
    assert russian.exit_code == 0, russian.output
    assert f" {none}\n" in russian.output and "members: none" not in russian.output
    # What scripts read stays as it was: group slugs and theme codes are not translated.
    assert "quality" in russian.output and "product_defect" in russian.output
