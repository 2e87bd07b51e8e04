"""/staff/themes: the themes, their rules (extended here, previewed before saving), how well
tagging does on staff's own corrections, and emerging topics to promote."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from analysis import themes as engine
from feedback.services.errors import ValidationFailed
from feedback.services.insights import corrections, groups, theme_admin, training
from feedback.web.auth import can, permission_required
from feedback.web.staff import bp
from feedback.web.staff.builder_forms import SimpleForm

LANGUAGES = ("en", "fa", "ar", "ru")


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


@bp.get("/themes")
@permission_required("view_reports")
def themes():
    groups.ensure_defaults()
    return _page(_language(request.args.get("language")))


def _page(language: str, preview=None, form=None):
    quality, labelled = corrections.quality()
    return render_template(
        "staff/themes.html",
        quality=quality,
        labelled=labelled,
        listed=theme_admin.all_themes(),
        routes=groups.routes(),
        language=language,
        rule_languages=LANGUAGES,  # "languages" is the header's switcher
        kinds=theme_admin.KINDS,
        staff_rules=training.staff_rules().get(language) or {},
        rules_summary=training.rule_sets()[language].summary(),
        may_edit=can("correct_themes"),
        simple=SimpleForm(formdata=None),
        preview=preview,
        form=form or {},
    )


@bp.post("/themes/new")
@permission_required("correct_themes")
def add_theme():
    if not SimpleForm().validate_on_submit():
        abort(400)
    try:
        theme = theme_admin.add_theme(
            request.form.get("code", ""),
            request.form.get("label", ""),
            request.form.get("department", ""),
            current_user._get_current_object(),
        )
    except ValidationFailed as exc:
        flash("; ".join(f"{f}: {m}" for f, m in exc.errors), "error")
    else:
        flash(
            gettext("Theme %(code)s added. Route it to a group and give it rules.", code=theme.code),
            "success",
        )
    return redirect(url_for("staff.themes"), 303)


@bp.post("/themes/rules")
@permission_required("correct_themes")
def theme_rules():
    """Preview a rule change on recent comments, or save it (the form posts both ways)."""
    if not SimpleForm().validate_on_submit():
        abort(400)
    form = request.form
    language = _language(form.get("language"))
    try:
        entries = theme_admin.entries_from(form.get("entries", ""))
        extra = theme_admin.with_entries(
            language, form.get("theme", ""), form.get("kind", ""), entries, remove=form.get("remove") == "1"
        )
        if form.get("action") == "save":
            theme_admin.save(language, extra, current_user._get_current_object())
            flash(gettext("Rules saved. Run “feedback themes retag” to tag older comments again."), "success")
            return redirect(url_for("staff.themes", language=language), 303)
        preview = theme_admin.preview(language, extra)
    except ValidationFailed as exc:
        flash("; ".join(f"{f}: {m}" for f, m in exc.errors), "error")
        return redirect(url_for("staff.themes", language=language), 303)
    return _page(language, preview, form)


@bp.get("/themes/emerging")
@permission_required("view_reports")
def emerging():
    language = _language(request.args.get("language"))
    weeks = request.args.get("weeks", type=int) or 4
    weeks = min(max(weeks, 1), 26)
    topics, untagged = theme_admin.emerging(language, weeks=weeks)
    return render_template(
        "staff/emerging.html",
        topics=topics,
        untagged=untagged,
        language=language,
        rule_languages=LANGUAGES,
        weeks=weeks,
        may_edit=can("correct_themes"),
        simple=SimpleForm(formdata=None),
        departments=sorted(set(engine.DEPARTMENT.values())),
    )


@bp.post("/themes/emerging/promote")
@permission_required("correct_themes")
def promote_topic():
    if not SimpleForm().validate_on_submit():
        abort(400)
    form = request.form
    language = _language(form.get("language"))
    try:
        theme = theme_admin.promote(
            language,
            form.get("code", ""),
            form.get("label", ""),
            form.get("department", ""),
            form.getlist("term")[:10],
            current_user._get_current_object(),
        )
    except ValidationFailed as exc:
        flash("; ".join(f"{f}: {m}" for f, m in exc.errors), "error")
        return redirect(url_for("staff.emerging", language=language), 303)
    flash(
        gettext("%(code)s is now a theme, with its terms as rules. Route it to a group.", code=theme.code),
        "success",
    )
    return redirect(url_for("staff.groups_index"), 303)
