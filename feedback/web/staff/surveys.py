"""The survey builder: list, create, edit settings, preview, publish, export."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from feedback.services.design import catalog, designing, rules
from feedback.services.errors import Conflict, NotFound, ValidationFailed
from feedback.services.respond import open_links
from feedback.web.auth import permission_required
from feedback.web.respond.pages import render_page
from feedback.web.staff import bp
from feedback.web.staff.builder_forms import AddQuestionForm, NewSurveyForm, PublishForm, SimpleForm
from feedback.web.staff.formatting import said
from feedback.web.staff.forms import RespondentSettingsForm
from feedback.web.staff.sending import context as sending_context
from surveys import serialize
from surveys.form import parse_page


@bp.get("/surveys")
@permission_required("view_reports")
def surveys():
    rows = [
        (s, catalog.live_version(s.id), designing.draft_version(s.id), catalog.response_count(s.id))
        for s in catalog.list_surveys()
    ]
    return render_template("staff/surveys.html", rows=rows)


@bp.route("/surveys/new", methods=["GET", "POST"])
@permission_required("design_surveys")
def new_survey():
    form = NewSurveyForm()
    status = 200
    if form.validate_on_submit():
        try:
            survey = designing.new_survey(
                form.key.data,
                form.name.data.strip(),
                form.locales.data,
                form.template.data or None,
                current_user,
            )
        except ValidationFailed as exc:
            for field, message in exc.errors:
                target = field if field in ("template", "locales", "key") else "name"
                getattr(form, target).errors.append(f"{field}: {message}")
            status = 422
        except Conflict as exc:
            form.key.errors.append(exc.message)
            status = 409
        else:
            flash(gettext("Created “%(name)s” as a draft.", name=survey.name), "success")
            return redirect(url_for("staff.survey", survey_id=survey.id))
    elif request.method == "POST":
        status = 400
    return render_template("staff/survey_new.html", form=form), status


@bp.get("/surveys/<int:survey_id>")
@permission_required("view_reports")
def survey(survey_id: int):
    return render_survey(catalog.get_survey(survey_id))


def render_survey(survey, rule_form=None) -> str:
    """The survey page; ``rule_form`` carries a refused rule with its problems marked."""
    survey_id = survey.id
    version = designing.draft_version(survey_id)
    draft = designing.get_draft(survey_id) if version else None
    found = designing.findings(draft.spec) if draft else {}
    problems = designing.incomplete(draft.spec) if draft else []
    return render_template(
        "staff/survey.html",
        survey=survey,
        draft=draft,
        findings=found,
        problems=problems,
        blocking=designing.blocking(draft.spec) if draft else [],
        versions=designing.versions(survey_id),
        live=catalog.live_version(survey_id),
        add_form=AddQuestionForm(),
        simple=SimpleForm(),
        publish_form=PublishForm(),
        responses=catalog.response_count(survey_id),
        access_form=RespondentSettingsForm(
            open_link=survey.open_link_enabled, review_url=survey.review_prompt_url or ""
        ),
        sending=sending_context(survey, rule_form),
        open_ceiling=open_links.last_ceiling(survey_id) if survey.open_link_enabled else None,
    )


@bp.post("/surveys/<int:survey_id>/edit")
@permission_required("design_surveys")
def start_editing(survey_id: int):
    if SimpleForm().validate_on_submit():
        draft = designing.start_editing(survey_id, current_user)
        flash(
            gettext(
                "Draft of version %(number)s started. The live version keeps running until you publish.",
                number=draft.version.number,
            ),
            "success",
        )
    return redirect(url_for("staff.survey", survey_id=survey_id))


@bp.post("/surveys/<int:survey_id>/publish")
@permission_required("design_surveys")
def publish(survey_id: int):
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    reason = form.override_reason.data if form.override.data else None
    try:
        version = designing.publish(survey_id, current_user, reason)
        if form.start_sending.data:
            catalog.set_sending(catalog.get_survey(survey_id), True, current_user)
    except designing.PublishBlocked as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.survey", survey_id=survey_id) + "#publish"), 303
    except ValidationFailed as exc:
        flash(exc.message + " " + "; ".join(f"{p}: {said(m)}" for p, m in exc.errors), "error")
        return redirect(url_for("staff.survey", survey_id=survey_id) + "#publish"), 303
    flash(
        gettext(
            "Version %(number)s is published. New responses use it; earlier responses stay "
            "with the version they answered.",
            number=version.number,
        ),
        "success",
    )
    if form.start_sending.data:
        flash(gettext("Sending started: new purchases that match the rule get this survey."), "success")
    elif not sending_context(catalog.get_survey(survey_id))["active"]:
        flash(
            gettext("Not sending yet: new purchases do not get this survey until you start sending."),
            "warning",
        )
    return redirect(url_for("staff.survey", survey_id=survey_id) + "#sending")


@bp.post("/surveys/<int:survey_id>/respondents")
@permission_required("design_surveys")
def respondent_access(survey_id: int):
    survey = catalog.get_survey(survey_id)
    form = RespondentSettingsForm()
    if not form.validate_on_submit():
        # str(): validator messages declared on the form class are lazy strings.
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        flash(gettext("Respondent settings not saved: %(problems)s", problems=problems), "error")
        return redirect(url_for("staff.survey", survey_id=survey_id) + "#respondents"), 303
    catalog.set_respondent_access(
        survey, open_link=form.open_link.data, review_url=form.review_url.data, actor=current_user
    )
    flash(gettext("Respondent settings saved."), "success")
    return redirect(url_for("staff.survey", survey_id=survey_id) + "#respondents"), 303


@bp.route("/surveys/<int:survey_id>/preview", methods=["GET", "POST"])
@permission_required("view_reports")
def preview(survey_id: int):
    """Exactly the respondent's page, for the draft (or the live version); nothing is stored."""
    catalog.get_survey(survey_id)
    version = designing.draft_version(survey_id) or catalog.live_version(survey_id)
    if version is None:
        raise NotFound(gettext("Nothing to preview yet."))
    spec = serialize.from_dict(version.definition, complete=False)
    if not spec.questions:
        flash(gettext("Add a question first."), "error")
        return redirect(url_for("staff.survey", survey_id=survey_id))
    locale = spec.locale_for(request.args.get("locale"))
    answers = _preview_answers(request.values)
    page = _int(request.values.get("page"), 1)
    errors = None
    if request.method == "POST":
        if not SimpleForm().validate_on_submit():
            abort(400)
        parsed = parse_page(spec, page, request.form.to_dict(flat=False), answers)
        answers.update(parsed.answers)
        if request.form.get("go") == "back":
            return redirect(_preview_url(survey_id, locale, _previous(spec, page, answers), answers))
        if parsed.errors:
            errors = parsed.errors
        else:
            from surveys.form import page_numbers

            pages = page_numbers(spec, answers)
            later = [p for p in pages if p > page]
            if later:
                return redirect(_preview_url(survey_id, locale, later[0], answers))
            flash(
                gettext("The preview reached the end: a respondent would now see the thank-you page."),
                "success",
            )
            return redirect(url_for("staff.survey", survey_id=survey_id))
    banner = {
        "locales": [(loc, _preview_url(survey_id, loc, page, answers)) for loc in spec.locales],
        "back": url_for("staff.survey", survey_id=survey_id),
    }
    try:
        return render_page(
            spec,
            locale,
            page,
            answers,
            errors=errors,
            banner=banner,
            action=_preview_url(survey_id, locale, page, answers),
            status=422 if errors else 200,
        )
    except ValueError:
        return redirect(_preview_url(survey_id, locale, 1, {}))


@bp.get("/surveys/<int:survey_id>/export.json")
@permission_required("view_reports")
def export(survey_id: int):
    survey = catalog.get_survey(survey_id)
    version = designing.draft_version(survey_id) or catalog.live_version(survey_id)
    body = json.dumps(rules.definition_as_run(survey_id, version.definition), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{survey.key}-v{version.number}.json"'},
    )


def _int(value, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _preview_answers(values) -> dict:
    """Earlier answers travel in the preview URL (a= key:value pairs), never in the database."""
    out = {}
    for pair in values.getlist("a"):
        key, _, value = pair.partition(":")
        if key and value:
            out[key] = int(value) if value.lstrip("-").isdigit() else value
    return out


def _preview_url(survey_id: int, locale: str, page: int, answers: dict) -> str:
    pairs = [f"{k}:{v}" for k, v in answers.items() if isinstance(v, (int, str)) and len(str(v)) < 50]
    return url_for("staff.preview", survey_id=survey_id, locale=locale, page=page, a=pairs)


def _previous(spec, page: int, answers: dict) -> int:
    from surveys.form import page_numbers

    earlier = [p for p in page_numbers(spec, answers) if p < page]
    return earlier[-1] if earlier else 1
