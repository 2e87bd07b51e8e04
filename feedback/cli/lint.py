"""`feedback lint`: wording checks from the command line (no database needed)."""

from __future__ import annotations

import json

import click

from feedback.cli.i18n import _, translated
from surveys import wording


@click.command()
@click.argument("text")
@click.option("--lang", default="en", show_default=True, help="Language of the text (en, fa, ar, ru).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint(text: str, lang: str, fmt: str) -> None:
    """Check TEXT for leading, loaded, double-barreled and other biased wording.

    Exits with 1 when a finding of error severity is present, so it can guard a pipeline.
    """
    try:
        findings = wording.check(text, lang)
    except ValueError as exc:
        raise click.BadParameter(translated(str(exc)), param_hint="--lang") from None
    if fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    elif not findings:
        click.echo(_("No problems found."))
    else:
        for f in findings:
            words = f" “{f.excerpt(text)}”" if f.span else ""
            click.echo(f"{f.severity:<7} {f.code}{words}: {translated(f.message)}")
            if f.suggestion:
                click.echo("        " + _("try: %(suggestion)s", suggestion=f.suggestion))
    if any(f.severity == "error" for f in findings):
        raise SystemExit(1)
