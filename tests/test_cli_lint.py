"""`feedback lint` works without any application configuration."""

from __future__ import annotations

import json

from click.testing import CliRunner

from feedback.cli import main


def test_lint_text_and_exit_code():
    result = CliRunner().invoke(main, ["lint", "Do you agree that our store layout is convenient?"])
    assert result.exit_code == 0  # agree/disagree is a warning, not an error
    assert "agree_disagree" in result.output
    leading = CliRunner().invoke(main, ["lint", "How helpful was our outstanding help desk?"])
    assert leading.exit_code == 1
    assert "try: How helpful was our help desk?" in leading.output


def test_lint_json_in_persian():
    result = CliRunner().invoke(
        main, ["lint", "آیا همیشه آنچه لازم دارید پیدا می‌کنید؟", "--lang", "fa", "--format", "json"]
    )
    (finding,) = json.loads(result.output)
    assert finding["code"] == "absolute"
    assert finding["span"] == [4, 9]


def test_lint_unknown_language():
    result = CliRunner().invoke(main, ["lint", "x", "--lang", "zz"])
    assert result.exit_code == 2
    assert "available: ar, en, fa, ru" in result.output
