"""`feedback import customers|purchases FILE.csv`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback.cli.i18n import _, translated
from feedback.services.errors import ValidationFailed
from feedback.services.intake import importing


@click.command("import")
@click.argument("kind", type=click.Choice(importing.KINDS))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option(
    "--batch", default=1000, show_default=True, type=click.IntRange(1, 100_000), help="Rows per transaction."
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the rejected rows, with line numbers and reasons, to this CSV.",
)
@with_appcontext
def import_(kind: str, path: str, batch: int, report: str | None) -> None:
    """Import customers or purchases from a CSV file (columns: docs/import.md)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = max(sum(1 for _ in handle) - 1, 0)
        handle.seek(0)
        with click.progressbar(length=rows, label=_("Importing %(kind)s", kind=kind), show_pos=True) as bar:
            seen = [0]

            def advance(total: int) -> None:
                bar.update(total - seen[0])
                seen[0] = total

            try:
                run = importing.import_csv(kind, handle, path, batch_size=batch, progress=advance)
            except ValidationFailed as exc:
                raise click.UsageError("; ".join(translated(m) for _f, m in exc.errors)) from None
    click.echo(
        _(
            "%(total)s rows: %(accepted)s imported, %(duplicates)s already known, "
            "%(rejected)s rejected (import %(id)s).",
            total=run.total,
            accepted=run.accepted,
            duplicates=run.duplicates,
            rejected=run.rejected,
            id=run.id,
        )
    )
    if run.rejected:
        _name, text = importing.report_csv(run.id)
        if report:
            with open(report, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            click.echo(_("Rejected rows written to %(file)s.", file=report))
        else:
            for r in run.rejects[:10]:
                reasons = "; ".join(f"{f}: {translated(m)}" for f, m in r["errors"])
                click.echo("  " + _("line %(line)s: %(reasons)s", line=r["line"], reasons=reasons))
            if run.rejected > 10:
                click.echo("  ... " + _("(use --report FILE for all of them)"))
