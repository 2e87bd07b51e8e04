"""Whether a survey sends after purchases, and the rule it sends by: shown and changed here."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

import surveys
from feedback.services.design import catalog, rules
from feedback.services.errors import Conflict
from feedback.web.auth import permission_required
from feedback.web.staff import bp, rule_text
from feedback.web.staff.builder_forms import SimpleForm
from feedback.web.staff.rule_forms import RuleForm


def context(survey, form: RuleForm | None = None) -> dict[str, Any]:
    """What the survey page's "Sending" card needs."""
    rule = catalog.current_rule(survey.id)
    row = catalog.rule_row(survey.id)
    active = bool(row and row.active and survey.status == "active")
    others = [(s.name, r.priority, s.id) for s, r in catalog.sending_surveys() if s.id != survey.id]
    shown = rule or surveys.DispatchRule()
    return {
        "active": active,
        "published": survey.status == "active",
        "sentence": rule_text.sentence(shown),
        "details": rule_text.details(shown),
        "precedence": rule_text.precedence(survey.id, shown, others),
        "form": form or RuleForm.of(rule),
        "open_editor": form is not None,
    }


@bp.post("/surveys/<int:survey_id>/sending")
@permission_required("manage_dispatch")
def sending(survey_id: int):
    if not SimpleForm().validate_on_submit():
        abort(400)
    survey = catalog.get_survey(survey_id)
    start = request.form.get("active") == "1"
    try:
        catalog.set_sending(survey, start, current_user)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(
            gettext("Sending started: every new purchase that matches the rule gets this survey.")
            if start
            else gettext(
                "Sending stopped: new purchases no longer get this survey. Invitations already "
                "scheduled still go out; cancel them per customer if needed."
            ),
            "success",
        )
    return redirect(url_for("staff.survey", survey_id=survey_id) + "#sending"), 303


@bp.post("/surveys/<int:survey_id>/rule")
@permission_required("manage_dispatch")
def save_rule(survey_id: int):
    from feedback.web.staff.surveys import render_survey

    survey = catalog.get_survey(survey_id)
    form = RuleForm()
    rule = form.rule()
    if rule is None:
        flash(gettext("The dispatch rule was not saved: see the marked settings."), "error")
        return render_survey(survey, rule_form=form), 422
    rules.save(survey, rule, current_user)
    flash(gettext("Dispatch rule saved: %(sentence)s", sentence=rule_text.sentence(rule)), "success")
    return redirect(url_for("staff.survey", survey_id=survey_id) + "#sending"), 303
