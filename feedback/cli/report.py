"""`feedback report`: survey results as text or JSON, from the same function as the API."""

from __future__ import annotations

import json

import click
from flask import has_app_context
from flask.cli import with_appcontext
from flask_babel import force_locale

from feedback.cli.i18n import _, cli_locale, translated
from feedback.services.design import catalog
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.reports import results, warnings
from feedback.services.segments import SEGMENT_FIELDS


@click.command()
@click.argument("survey")
@click.option("--by", type=click.Choice(SEGMENT_FIELDS), help="Break the results down by this field.")
@click.option("--from", "date_from", metavar="DATE", help="First day (YYYY-MM-DD), inclusive.")
@click.option("--to", "date_to", metavar="DATE", help="Last day (YYYY-MM-DD), inclusive.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_appcontext
def report(survey: str, by: str | None, date_from: str | None, date_to: str | None, fmt: str) -> None:
    """Results of SURVEY (its key or id): every figure with n and an interval, and honest warnings."""
    try:
        found = catalog.find_survey(survey)
        start, end = results.parse_window(date_from, date_to)
    except NotFound as exc:
        raise click.BadParameter(translated(exc.message), param_hint="SURVEY") from None
    except ValidationFailed as exc:
        raise click.UsageError("; ".join(f"--{f}: {translated(m)}" for f, m in exc.errors)) from None
    data = results.build(found, by=by, start=start, end=end)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(data))


def _estimate(e: dict | None) -> str:
    if not e or e.get("suppressed") or e.get("value") is None:
        n = (e or {}).get("n", 0)
        return _("too few answers to report (n = %(n)s)", n=n)
    return f"{e['value']:+.1f}  [{e['low']:+.1f}, {e['high']:+.1f}]  n = {e['n']:,}"


def _sampling(block: dict) -> str:
    if block["finite_population_correction"]:
        return _(
            "Sampling: %(design)s, finite population corrected, N = %(population)s",
            design=block["design"],
            population=f"{block['population']:,}",
        )
    return _(
        "Sampling: %(design)s, no finite population correction (%(why)s)",
        design=block["design"],
        why=translated(block["why"]),
    )


def _window(start: str | None, end: str | None) -> str:
    # One whole phrase per case, so no language has to fit "the start" or "now" into its word order.
    if start and end:
        return _("%(start)s to %(end)s", start=start, end=end)
    if start:
        return _("%(start)s to now", start=start)
    if end:
        return _("the start to %(end)s", end=end)
    return _("the start to now")


def _tested(c: dict) -> str:
    p = f"{c['p_value']:.3f}"
    if "p_adjusted" in c:
        adjusted = f"{c['p_adjusted']:.3f}"
        if c["significant"]:
            return _("p = %(p)s (Holm-adjusted %(adjusted)s), significant", p=p, adjusted=adjusted)
        return _("p = %(p)s (Holm-adjusted %(adjusted)s), not significant", p=p, adjusted=adjusted)
    if c["significant"]:
        return _("p = %(p)s, significant", p=p)
    return _("p = %(p)s, not significant", p=p)


def render_text(data: dict) -> str:
    lines = [f"{data['name']} ({data['key']}), {_window(data['from'], data['to'])}", "=" * 78]
    rate = data["response_rate"]
    rate_text = f"{rate['value']:.1f}% [{rate['low']:.1f}, {rate['high']:.1f}]" if rate else _("n/a")
    lines.append(
        _(
            "invited %(invited)s   answered %(answered)s   response rate %(rate)s",
            invited=f"{data['invited']:,}",
            answered=f"{data['responded']:,}",
            rate=rate_text,
        )
    )
    for name, e in data["metrics"].items():
        lines.append(f"{name.upper():<5} {_estimate(e)}   {e.get('method', '')}")
    if data.get("sampling"):
        lines.append(_sampling(data["sampling"]))
    if data.get("weighting", {}).get("nps"):
        w = data["weighting"]
        lines.append(
            _(
                "NPS weighted to the invited mix (%(by)s): %(estimate)s, design effect %(effect)s",
                by=", ".join(w["by"]),
                estimate=_estimate(w["nps"]),
                effect=w["design_effect"],
            )
        )
    if data["segments"]:
        lines += ["", _("By %(by)s:", by=data["by"])]
        for s in data["segments"]:
            for name, e in s["metrics"].items():
                vs = e.get("vs_rest") if isinstance(e, dict) else None
                mark = " *" if vs and vs["significant"] else ""
                lines.append(f"  {s['key']!s:<14} {name.upper():<5} {_estimate(e)}{mark}")
        lines.append("  * " + _("differs from the other groups after Holm correction"))
    if data["changes"]:
        lines += ["", _("Changes:")]
        for c in data["changes"]:
            lines.append(
                f"  {c['metric'].upper()} {c['from_period']} -> {c['to_period']}: {c['difference']:+.1f} "
                f"[{c['low']:+.1f}, {c['high']:+.1f}], {_tested(c)}"
            )
    if data.get("drivers", {}).get("drivers"):
        d = data["drivers"]
        lines += [
            "",
            _(
                "Drivers of %(outcome)s (n = %(n)s, R^2 = %(r2)s):",
                outcome=d["outcome"],
                n=d["n"],
                r2=f"{d['r_squared']:.2f}",
            ),
        ]
        for x in d["drivers"]:
            lines.append(
                f"  {x['attribute']:<12} {x['coefficient']:+.2f} [{x['low']:+.2f}, {x['high']:+.2f}]  "
                + _("importance %(share)s", share=f"{x['importance']:.0%}")
            )
        lines.append(f"  {translated(d['caution'])}")
    if data["warnings"]:
        lines += ["", _("Warnings:")]
        lines += [f"  [{w['code']}] {_warning(w)}" for w in data["warnings"]]
    return "\n".join(lines)


def _warning(w: dict) -> str:
    """A results warning in the terminal reader's language, from its msgid and values; outside
    an application (a saved report read back) the English message as it was stored."""
    if "msgid" not in w or not has_app_context():
        return translated(w["message"])
    with force_locale(cli_locale()):
        return warnings.render(w)
