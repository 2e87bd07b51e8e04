"""The survey builder's use cases: drafts, new versions, and publishing with wording checks.

A published version never changes. Editing a survey that has a published version
starts a draft of the next version, copied from the live one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext, ngettext
from sqlalchemy import select

import surveys
from feedback.extensions import db
from feedback.models import Question, StaffUser, Survey, SurveyVersion
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.design import catalog
from feedback.services.errors import Conflict, DomainError, NotFound, ValidationFailed
from surveys import serialize, wording
from surveys.templates import TEMPLATES
from surveys.validate import checked, survey_problems


class PublishBlocked(DomainError):
    """Error-severity wording findings remain; publishing needs an explicit override with a reason."""

    status = 409

    def __init__(self, findings: list[tuple[str, wording.Finding]]):
        super().__init__(
            ngettext(
                "%(num)s wording problem of error severity remains; fix it, "
                "or publish anyway with a reason that is recorded in the audit log.",
                "%(num)s wording problems of error severity remain; fix them, "
                "or publish anyway with a reason that is recorded in the audit log.",
                len(findings),
            )
        )
        self.findings = findings
        self.errors = [(f"questions.{key}.{f.locale}", f"{f.code}: {f.message}") for key, f in findings]


@dataclass(frozen=True)
class Draft:
    survey: Survey
    version: SurveyVersion
    spec: surveys.Survey


def draft_version(survey_id: int) -> SurveyVersion | None:
    return catalog.draft_of(survey_id)


def versions(survey_id: int) -> list[SurveyVersion]:
    return list(
        db.session.scalars(
            select(SurveyVersion)
            .where(SurveyVersion.survey_id == survey_id)
            .order_by(SurveyVersion.number.desc())
        )
    )


def get_draft(survey_id: int) -> Draft:
    survey = catalog.get_survey(survey_id)
    version = draft_version(survey_id)
    if version is None:
        raise NotFound(gettext("this survey has no draft; start editing to create one"))
    return Draft(survey, version, serialize.from_dict(version.definition, complete=False))


def start_editing(survey_id: int, actor: StaffUser | None = None) -> Draft:
    """The open draft, or a new draft of the next version copied from the newest one."""
    survey = catalog.get_survey(survey_id)
    version = draft_version(survey_id)
    if version is None:
        newest = versions(survey_id)[0]
        spec = serialize.from_dict(newest.definition, complete=False)
        # The rule may have changed since that version was published; the draft carries today's.
        spec = replace(spec, dispatch=catalog.current_rule(survey_id) or spec.dispatch)
        version = catalog.add_version(survey, spec, newest.number + 1)
        audit.record("survey_draft_started", actor=actor, target=survey, version=version.number)
        db.session.commit()
    return Draft(survey, version, serialize.from_dict(version.definition, complete=False))


def new_survey(
    key: str, name: str, locales: list[str], template: str | None, actor: StaffUser | None = None
) -> Survey:
    """A new survey as draft version 1, blank or from a template."""
    problems = []
    if template and template not in TEMPLATES:
        problems.append(("template", gettext("unknown template %(name)s", name=repr(template))))
    if not locales:
        problems.append(("locales", gettext("choose at least one language")))
    if problems:
        raise ValidationFailed(problems)
    try:
        if template:
            spec = checked(replace(TEMPLATES[template](tuple(locales)), key=key, name=name))
        else:
            spec = checked(
                surveys.Survey(
                    key=key, name=name, locales=tuple(locales), questions=(), default_locale=locales[0]
                )
            )
    except surveys.SurveyError as exc:
        raise ValidationFailed(exc.problems) from None
    return catalog.create_survey(spec, actor=actor)


def save(
    draft: Draft,
    spec: surveys.Survey,
    actor: StaffUser | None = None,
    action: str = "survey_edited",
    **details,
) -> Draft:
    """Replace the draft's definition (the draft may still be incomplete)."""
    if draft.version.status != "draft":
        raise Conflict(gettext("published versions cannot change; start a new draft"))
    problems = survey_problems(spec, complete=False)
    if problems:
        raise ValidationFailed(problems)
    draft.version.definition = serialize.to_dict(spec)
    draft.version.locales = list(spec.locales)
    catalog.sync_questions(draft.version, spec)
    audit.record(action, actor=actor, target=draft.survey, version=draft.version.number, **details)
    db.session.commit()
    return Draft(draft.survey, draft.version, spec)


def incomplete(spec: surveys.Survey) -> list[tuple[str, str]]:
    """What the draft still lacks before it can be published."""
    return survey_problems(spec, complete=True)


def findings(spec: surveys.Survey) -> dict[str, list[wording.Finding]]:
    """Wording findings per question key, in every locale of the survey."""
    return {q.key: wording.check_question(q, list(spec.locales)) for q in spec.questions}


def blocking(spec: surveys.Survey) -> list[tuple[str, wording.Finding]]:
    return [(key, f) for key, found in findings(spec).items() for f in found if f.severity == "error"]


def publish(
    survey_id: int, actor: StaffUser | None = None, override_reason: str | None = None
) -> SurveyVersion:
    """Freeze the draft. Incomplete drafts are refused; wording errors need an override reason."""
    draft = get_draft(survey_id)
    problems = survey_problems(draft.spec, complete=True)
    if problems:
        raise ValidationFailed(problems, gettext("The draft is not complete yet."))
    errors = blocking(draft.spec)
    reason = (override_reason or "").strip()
    if errors and not reason:
        raise PublishBlocked(errors)
    if errors and len(reason) < 10:
        raise ValidationFailed(
            [("override_reason", gettext("explain the override in at least 10 characters"))]
        )
    version = draft.version
    version.status = "published"
    version.published_at = utcnow()
    version.published_by_id = actor.id if actor else None
    version.override_reason = reason if errors else None
    draft.survey.name = draft.spec.name
    draft.survey.default_locale = draft.spec.default_locale
    if draft.survey.status == "draft":
        draft.survey.status = "active"
    catalog.apply_rule(draft.survey, draft.spec.dispatch)
    audit.record(
        "survey_published_with_override" if errors else "survey_published",
        actor=actor,
        target=draft.survey,
        version=version.number,
        override_reason=version.override_reason,
        findings=[{"question": key, **f.to_dict()} for key, f in errors],
    )
    db.session.commit()
    return version


def question_rows(version_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.version_id == version_id).order_by(Question.position)
        )
    )


def create_published(
    spec: surveys.Survey,
    *,
    actor: StaffUser | None = None,
    activate: bool = False,
    override_reason: str | None = None,
) -> Survey:
    """Create a survey and publish version 1 at once (API, demo); dispatch starts if ``activate``."""
    survey = catalog.create_survey(spec, actor=actor)
    publish(survey.id, actor, override_reason)
    if activate and spec.dispatch is not None:
        catalog.set_sending(survey, True, actor)
    return survey
