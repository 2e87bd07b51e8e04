"""`feedback groups`, `feedback themes` and `feedback export`: the voice of the customer from a
terminal, from the same services as the staff pages and the API."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import _, translated
from feedback.services import sheets
from feedback.services.design import catalog
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import collect, export, groups, training
from feedback.services.reports import results
from feedback.services.segments import SEGMENT_FIELDS


@click.group("groups")
def groups_cli() -> None:
    """Stakeholder groups: who hears which themes."""


@groups_cli.command("list")
@with_appcontext
def groups_list() -> None:
    """Each group with its members and the themes routed to it."""
    groups.ensure_defaults()
    for group in groups.all_groups():
        codes = groups.themes_of(group)
        people = ", ".join(u.email for u in groups.members(group)) or _("none")
        heard = _("every theme") if codes is None else (", ".join(sorted(codes)) or _("none"))
        click.echo(f"{group.slug:<12} {group.name}")
        click.echo(f"{'':<12} " + _("hears: %(themes)s", themes=heard))
        click.echo(f"{'':<12} " + _("members: %(people)s", people=people))


@click.group("themes")
def themes_cli() -> None:
    """Tag comments with themes, and measure how well the tagging does."""


@themes_cli.command("retag")
@click.option("--survey", metavar="SURVEY", help="Only this survey's comments (its key or id).")
@with_appcontext
def themes_retag(survey: str | None) -> None:
    """Tag every comment again with the current rules and model. Comments staff corrected keep
    their corrected themes. New answers are collected first."""
    survey_id = _survey(survey).id if survey else None
    tagger = training.current_tagger()
    collected = collect.collect(tagger=tagger)
    total = collect.retaggable(survey_id)
    with click.progressbar(length=total, label=_("Tagging comments"), show_pos=True, show_eta=True) as bar:
        seen = [0]

        def advance(done: int) -> None:
            bar.update(done - seen[0])
            seen[0] = done

        done = collect.retag(survey_id=survey_id, tagger=tagger, progress=advance)
    _tagged, untagged = collect.counts(survey_id)
    click.echo(
        _(
            "Tagged %(done)s comments (%(new)s new) with %(version)s; %(untagged)s have no theme. "
            "Corrected comments kept their themes.",
            done=f"{done:,}",
            new=f"{collected:,}",
            version=tagger.version,
            untagged=f"{untagged:,}",
        )
    )


@themes_cli.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--rules-only", is_flag=True, help="Leave the model trained from corrections out.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_appcontext
def themes_evaluate(file: str, rules_only: bool, fmt: str) -> None:
    """Precision and recall of the tagger in use on FILE.jsonl, a labelled set with one
    {"lang", "text", "themes": [{"code", "polarity"}]} per line."""
    from analysis.themes import evaluate

    try:
        items = evaluate.load(file)
    except (ValueError, KeyError, TypeError) as exc:
        why = translated(str(exc))
        raise click.BadParameter(_("not a labelled set: %(why)s", why=why), param_hint="FILE") from None
    tagger = training.current_tagger()
    if rules_only:
        tagger = collect.Tagger(rules=tagger.rules, version=tagger.version)
    report = evaluate.score(items, lambda item: tagger.tags(item.text, item.lang))
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary())


@click.command("export")
@click.argument("kind", type=click.Choice(["responses", "results"]))
@click.argument("survey")
@click.option("--format", "fmt", type=click.Choice(sheets.FORMATS), default="csv", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write; - or none: standard output.",
)
@click.option("--by", type=click.Choice(SEGMENT_FIELDS), help="Results only: break down by this field.")
@click.option("--from", "date_from", metavar="DATE", help="Results only: first day (YYYY-MM-DD), inclusive.")
@click.option("--to", "date_to", metavar="DATE", help="Results only: last day (YYYY-MM-DD), inclusive.")
@click.option(
    "--rtl/--ltr",
    default=None,
    help="XLSX sheet direction; by default right-to-left for a Persian or Arabic survey.",
)
@with_appcontext
def export_cli(kind, survey, fmt, output, by, date_from, date_to, rtl) -> None:
    """Export SURVEY's raw responses with their themes, or its results, as CSV or XLSX. Text
    cells that a spreadsheet would run as a formula are neutralised."""
    found = _survey(survey)
    if fmt == "xlsx" and (output in (None, "-")) and sys.stdout.isatty():
        raise click.UsageError(_("an XLSX file is binary: give -o FILE.xlsx"))
    if kind == "results":
        try:
            start, end = results.parse_window(date_from, date_to)
        except ValidationFailed as exc:
            raise click.UsageError("; ".join(f"--{f}: {translated(m)}" for f, m in exc.errors)) from None
        rows = export.result_rows(results.build(found, by=by, start=start, end=end))
    else:
        rows = export.response_rows(found, for_csv=fmt == "csv")
    right_to_left = sheets.is_rtl(found.default_locale) if rtl is None else rtl
    target = sys.stdout.buffer if output in (None, "-") else output
    try:
        export.save(rows, fmt, target, sheet=kind, right_to_left=right_to_left)
    except sheets.TooManyRows as exc:
        raise click.ClickException(translated(str(exc))) from None
    if target is not sys.stdout.buffer:
        click.echo(
            _(
                "Wrote %(kind)s of %(survey)s to %(file)s (%(format)s).",
                kind=kind,
                survey=found.key,
                file=output,
                format=fmt,
            ),
            err=True,
        )


def _survey(ref: str):
    try:
        return catalog.find_survey(ref)
    except NotFound as exc:
        raise click.BadParameter(translated(exc.message), param_hint="SURVEY") from None
