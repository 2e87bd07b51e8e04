"""Stakeholder groups: the list and routing table, and each group's dashboard."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from analysis import figures
from feedback.services.design import catalog
from feedback.services.errors import ValidationFailed
from feedback.services.insights import alerts, dashboard, group_settings, groups
from feedback.services.reports import figure_text, results, weekly
from feedback.services.reports.dashboard import _estimate
from feedback.services.segments import SEGMENT_FIELDS
from feedback.web.auth import permission_required
from feedback.web.staff import bp, headlines
from feedback.web.staff.builder_forms import SimpleForm
from feedback.web.staff.group_forms import GroupSettingsForm
from feedback.web.staff.routes import direction_class

SLICES = ("tier", "channel", "region", "category")


@bp.get("/groups")
@permission_required("view_reports")
def groups_index():
    groups.ensure_defaults()
    listed = [(g, groups.members(g), groups.themes_of(g)) for g in groups.all_groups()]
    return render_template(
        "staff/groups.html",
        listed=listed,
        routes=groups.routes(),
        themes=groups.theme_codes(),
        simple=SimpleForm(formdata=None),
    )


@bp.post("/groups/routes")
@permission_required("manage_users")
def group_routes():
    if not SimpleForm().validate_on_submit():
        abort(400)
    try:
        for code in groups.theme_codes():
            groups.set_routes(code, request.form.getlist(f"route-{code}"), current_user._get_current_object())
    except ValidationFailed as exc:
        flash("; ".join(m for _, m in exc.errors), "error")
    else:
        flash(gettext("Routing saved."), "success")
    return redirect(url_for("staff.groups_index"), 303)


@bp.get("/groups/<slug>")
@permission_required("view_reports")
def group(slug: str):
    groups.ensure_defaults()
    chosen = groups.by_slug(slug)
    surveys = catalog.list_surveys()
    wanted = request.args.get("survey", type=int)
    latest = catalog.latest_answered()
    survey = next((s for s in surveys if s.id == wanted), None) or next(
        (s for s in surveys if s.id == latest), None
    )
    if survey is None:
        return render_template("staff/group.html", group=chosen, view=None, surveys=surveys, problems=[])
    context = _figures(chosen, survey)
    status = 422 if context["problems"] else 200
    return render_template(
        "staff/group.html", surveys=surveys, alerts=alerts.for_group(chosen), **context
    ), status


@bp.get("/surveys/<int:survey_id>/report")
@permission_required("view_reports")
def survey_report(survey_id: int):
    """A page to print for a meeting: one survey, seen by one group (management by default)."""
    groups.ensure_defaults()
    survey = catalog.get_survey(survey_id)
    chosen = groups.by_slug(request.args.get("group") or "management")
    context = _figures(chosen, survey)
    status = 422 if context["problems"] else 200
    return render_template("staff/report.html", now=datetime.now(UTC), **context), status


def _figures(chosen, survey) -> dict:
    """The group's view of ``survey`` under the URL's filters, with its charts as JSON."""
    where = {f: request.args[f] for f in SLICES if request.args.get(f)}
    by = request.args.get("by") or "tier"
    base = {
        "group": chosen,
        "slices": SLICES,
        "fields": SEGMENT_FIELDS,
        "by": by,
        "args": {
            k: v for k, v in request.args.items() if k in (*SLICES, "by", "from", "to", "survey", "every")
        },
        "every": "week" if request.args.get("every") == "week" else "month",
        "say": headlines,
        "direction": direction_class,
    }
    try:
        start, end = results.parse_window(request.args.get("from") or None, request.args.get("to") or None)
        view = dashboard.view(
            chosen,
            survey,
            by=by,
            start=start,
            end=end,
            where=where,
            viewer=current_user._get_current_object(),
        )
    except ValidationFailed as exc:
        return {**base, "view": None, "survey": survey, "problems": exc.errors, "figs": {}}
    d = view.results
    figs = {}
    weeks = None
    if base["every"] == "week" and d["metrics"].get("nps", {}).get("n"):
        weeks = weekly.nps_weeks(survey.id, start=start, end=end, where=where, min_n=d["min_n"])
        figs["trend"] = figures.nps_trend(
            weeks.periods,
            [w.estimate for w in weeks.weeks],
            title=gettext("NPS by week, with intervals at 95%"),
            wording=figure_text.wording(weeks.periods, weeks=True),
        ).to_json()
    elif d["metrics"].get("nps", {}).get("n"):
        rows = [p for p in d["periods"] if "nps" in p["metrics"]]
        figs["trend"] = figures.nps_trend(
            [p["period"] for p in rows],
            [_estimate(p["metrics"]["nps"]) for p in rows],
            title=gettext("NPS by month, with intervals at 95%"),
            wording=figure_text.wording([p["period"] for p in rows]),
        ).to_json()
    if view.themes["series"]:
        figs["themes"] = figures.theme_shares(
            view.themes["periods"],
            view.themes["series"],
            title=gettext("Complaints by theme, share of comments"),
            wording=figure_text.wording(view.themes["periods"]),
            names=figure_text.theme_names(),
        ).to_json()
    return {**base, "view": view, "survey": survey, "d": d, "figs": figs, "weeks": weeks, "problems": []}


@bp.route("/groups/<slug>/settings", methods=["GET", "POST"])
@permission_required("manage_users")
def group_settings_page(slug: str):
    """Working hours, holidays, SLA hours, digest and lead of one group (admins only)."""
    groups.ensure_defaults()
    chosen = groups.by_slug(slug)
    form = GroupSettingsForm()
    form.lead.choices = [("", gettext("nobody: the members who work cases"))] + [
        (str(u.id), u.name or u.email) for u in group_settings.leads()
    ]
    status = 200
    if request.method == "POST":
        valid = form.validate()
        if "csrf_token" in form.errors:
            abort(400)
        if valid:
            try:
                moved = group_settings.save(slug, form.settings(), current_user._get_current_object())
            except ValidationFailed as exc:
                problems = [f"{field}: {message}" for field, message in exc.errors]
                form.form_errors.extend(problems)
            else:
                flash(
                    ngettext(
                        "Settings saved; %(num)s open case has new deadlines.",
                        "Settings saved; %(num)s open cases have new deadlines.",
                        moved,
                    )
                    if moved
                    else gettext("Settings saved."),
                    "success",
                )
                return redirect(url_for("staff.group_settings_page", slug=slug), 303)
        status = 422
    else:
        form.fill(group_settings.current(chosen))
    return render_template("staff/group_settings.html", group=chosen, form=form), status
