"""Editing the questions of a draft: add, edit (every locale side by side), move, delete; live lint."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

import surveys
from feedback.services.design import designing
from feedback.services.errors import ValidationFailed
from feedback.web.auth import permission_required
from feedback.web.staff import bp
from feedback.web.staff.builder_forms import (
    LOCALE_NAMES,
    AddQuestionForm,
    SimpleForm,
    locale_field,
    problem_field,
    question_form,
    question_from_form,
)
from feedback.web.staff.formatting import said
from surveys import edit, text_direction, wording


def _question(draft: designing.Draft, key: str) -> surveys.Question:
    for q in draft.spec.questions:
        if q.key == key:
            return q
    abort(404, description=gettext("The draft has no question “%(key)s”.", key=key))


@bp.post("/surveys/<int:survey_id>/questions")
@permission_required("design_surveys")
def add_question(survey_id: int):
    form = AddQuestionForm()
    if not form.validate_on_submit():
        abort(400)
    draft = designing.get_draft(survey_id)
    question = edit.new_question(draft.spec, surveys.QuestionType(form.type.data))
    designing.save(
        draft, edit.add_question(draft.spec, question), current_user, "question_added", question=question.key
    )
    return redirect(url_for("staff.edit_question", survey_id=survey_id, key=question.key))


@bp.route("/surveys/<int:survey_id>/questions/<key>", methods=["GET", "POST"])
@permission_required("design_surveys")
def edit_question(survey_id: int, key: str):
    draft = designing.get_draft(survey_id)
    question = _question(draft, key)
    form = question_form(draft.spec, question, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400 if not form.csrf_token.data else 422
        else:
            try:
                updated = question_from_form(draft.spec, question, form)
                draft = designing.save(
                    draft,
                    edit.replace_question(draft.spec, key, updated),
                    current_user,
                    "question_edited",
                    question=key,
                )
            except (ValidationFailed, surveys.SurveyError) as exc:
                for path, message in getattr(exc, "errors", None) or exc.problems:
                    field = getattr(form, problem_field(path) or "", None) or form.page
                    field.errors.append(said(message))
                status = 422
            else:
                flash(gettext("Saved “%(key)s”.", key=key), "success")
                if request.form.get("then") == "back":
                    return redirect(url_for("staff.survey", survey_id=survey_id))
                question = updated
    findings = wording.check_question(question, list(draft.spec.locales))
    by_field: dict[tuple[str, str], list] = {}
    for f in findings:
        by_field.setdefault((f.field or "", f.locale or ""), []).append(f)
    columns = [
        (loc, locale_field(loc), LOCALE_NAMES.get(loc, loc), text_direction(loc))
        for loc in draft.spec.locales
    ]
    return render_template(
        "staff/question.html",
        draft=draft,
        q=question,
        form=form,
        columns=columns,
        by_field=by_field,
        general=[f for f in findings if not f.locale],
    ), status


@bp.post("/surveys/<int:survey_id>/questions/<key>/move")
@permission_required("design_surveys")
def move_question(survey_id: int, key: str):
    if not SimpleForm().validate_on_submit():
        abort(400)
    draft = designing.get_draft(survey_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    try:
        designing.save(
            draft, edit.move_question(draft.spec, key, offset), current_user, "question_moved", question=key
        )
    except (ValidationFailed, surveys.SurveyError) as exc:
        flash(gettext("Cannot move it there: %(why)s", why=_problems(exc)), "error")
    return redirect(url_for("staff.survey", survey_id=survey_id) + "#questions")


@bp.post("/surveys/<int:survey_id>/questions/<key>/delete")
@permission_required("design_surveys")
def delete_question(survey_id: int, key: str):
    if not SimpleForm().validate_on_submit():
        abort(400)
    draft = designing.get_draft(survey_id)
    try:
        designing.save(
            draft, edit.delete_question(draft.spec, key), current_user, "question_deleted", question=key
        )
    except surveys.SurveyError as exc:
        flash(_problems(exc), "error")
    else:
        flash(gettext("Deleted “%(key)s”.", key=key), "success")
    return redirect(url_for("staff.survey", survey_id=survey_id) + "#questions")


@bp.post("/lint")
@permission_required("design_surveys")
def lint():
    """Findings for one text as the designer types (the save runs the same checks)."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    text, lang = body.get("text"), body.get("lang", "en")
    if not isinstance(text, str) or not isinstance(lang, str) or len(text) > 5000:
        return jsonify({"error": "send {text, lang} with text under 5000 characters"}), 400
    try:
        found = wording.check(text, lang)
    except ValueError as exc:
        return jsonify({"error": str(exc)}), 400
    # A staff page's script shows these: the reader's language, unlike the API's lint
    return jsonify({"findings": [{**f.to_dict(), "message": said(f.message)} for f in found]})


def _problems(exc: Exception) -> str:
    """A refused edit's problems in the reader's language, path first as the model gives them."""
    problems = getattr(exc, "problems", None) or getattr(exc, "errors", None)
    if not problems:
        return str(exc)
    return "; ".join(f"{path}: {said(message)}" for path, message in problems)
