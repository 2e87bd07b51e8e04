"""The lines a person reads go through the CLI's catalog; what scripts read does not.

A fake catalog marks every string it translates, so a line that skips the catalog, or JSON
that goes through it, shows up here without waiting for the real translations.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from babel.support import NullTranslations
from click.testing import CliRunner

from feedback.cli import main

MARK = "‹fa› "
NOW = "2026-12-01T09:00:00+00:00"


class Marking(NullTranslations):
    def gettext(self, message):
        return MARK + message

    def ngettext(self, singular, plural, n):
        return MARK + (singular if n == 1 else plural)


@pytest.fixture
def persian(monkeypatch):
    """FEEDBACK_LOCALE=fa with the marking catalog; English stays the real (null) one."""
    monkeypatch.setattr(
        "feedback.cli.i18n._catalog", lambda language: NullTranslations() if language == "en" else Marking()
    )
    return {"FEEDBACK_LOCALE": "fa"}


ENGLISH = {"FEEDBACK_LOCALE": "en"}


def test_lint_findings_and_advice_are_translated_but_its_json_is_not(persian):
    question = ["lint", "How helpful was our outstanding help desk?"]
    english = CliRunner().invoke(main, question, env=ENGLISH)
    shown = CliRunner().invoke(main, question, env=persian)
    assert shown.exit_code == english.exit_code == 1
    first = english.output.splitlines()[0]
    severity_and_code = first.split(": ", 1)[0]
    # The severity and the code are what a pipeline greps for; the message is for the person,
    # sentence by sentence (what is wrong, then the advice).
    line = shown.output.splitlines()[0]
    assert line.startswith(f"{severity_and_code}: {MARK}") and line.count(MARK) == 2
    assert line.replace(MARK, "") == first
    assert "        try: How helpful was our help desk?" in english.output
    assert f"        {MARK}try: How helpful was our help desk?" in shown.output
    as_json = [*question, "--format", "json"]
    assert CliRunner().invoke(main, as_json, env=persian).output == CliRunner().invoke(main, as_json).output
    unknown = CliRunner().invoke(main, ["lint", "x", "--lang", "zz"], env=persian)
    assert unknown.exit_code == 2 and f"{MARK}no wording rules for language" in unknown.output, unknown.output


def test_the_dispatch_summary_line_is_translated(app, persian):
    runner = app.test_cli_runner()
    english = runner.invoke(args=["worker", "--once", "--now", NOW], env=ENGLISH)
    assert english.output == "sent 0 ({}), skipped {}, retried 0, failed 0, expired 0\n"
    shown = runner.invoke(args=["worker", "--once", "--now", NOW], env=persian)
    assert shown.exit_code == 0, shown.output
    assert shown.output == MARK + english.output


def test_rejected_import_rows_are_one_translated_line_each(app, persian, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text("id,email,phone,name,locale\nc1,not-an-email,,Cyd,en\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "customers", str(source)], env=persian)
    assert result.exit_code == 0, result.output
    (rejected,) = [line for line in result.output.splitlines() if line.startswith("  ")]
    # One sentence per msgid: the line number and its reasons are translated together.
    assert rejected.startswith(f"  {MARK}line 2: ") and rejected.count(MARK) >= 2, rejected


@pytest.fixture(scope="module")
def demo_app(sqlite_template, tmp_path_factory):
    """One demo for the module, on SQLite: the report's words are the same on either database."""
    from tests.conftest import make_app

    path = tmp_path_factory.mktemp("person_lines") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    result = app.test_cli_runner().invoke(args=["demo", "--responses", "600", "--now", NOW])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        from feedback.extensions import db

        db.engine.dispose()


def test_the_report_text_is_translated_and_its_json_is_not(demo_app, persian):
    runner = demo_app.test_cli_runner()
    english = runner.invoke(args=["report", "transactional-nps"], env=ENGLISH).output
    shown = runner.invoke(args=["report", "transactional-nps"], env=persian).output
    assert "\nWarnings:\n" in english and f"\n{MARK}Warnings:\n" in shown
    data = json.loads(runner.invoke(args=["report", "transactional-nps", "--format", "json"]).output)
    assert data["warnings"] and data["changes"], "the demo should plant both"
    tests = [line for line in shown.splitlines() if line.startswith("  NPS ") and " -> " in line]
    assert len(tests) == len(data["changes"])
    # The p-value and the verdict are one phrase, so a language can order them as it needs.
    assert all(f"], {MARK}p = " in line for line in tests), tests
    # A warning is rebuilt from its msgid and values in the reader's language: the real
    # catalog's Persian, with Persian digits, under the code a script greps for.
    lines = {line.split("] ", 1)[0]: line for line in shown.splitlines() if line.startswith("  [")}
    for warning in data["warnings"]:
        line = lines[f"  [{warning['code']}"]
        assert warning["message"] not in line and re.search("[\u0600-\u06ff]", line), line
    persian_json = runner.invoke(args=["report", "transactional-nps", "--format", "json"], env=persian)
    assert json.loads(persian_json.output) == data
    # The heading's window is one phrase, never English words put into a translated sentence.
    assert f"{MARK}the start to now" in shown.splitlines()[0]
