"""Surveys and their versions: create, publish (freeze), and read back as surveys.Survey."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select

import surveys
from feedback.extensions import db
from feedback.models import DispatchRule, Question, StaffUser, Survey, SurveyVersion
from feedback.services import audit
from feedback.services.errors import Conflict, NotFound
from feedback.services.persist import flush_or_conflict
from surveys import serialize


def list_surveys() -> list[Survey]:
    return list(db.session.scalars(select(Survey).order_by(Survey.name)))


def get_survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(gettext("survey %(id)s does not exist", id=survey_id))
    return survey


def find_survey(key_or_id: str) -> Survey:
    """Look a survey up by its key, or by its numeric id."""
    survey = db.session.scalar(select(Survey).where(Survey.key == key_or_id))
    if survey is None and key_or_id.isascii() and key_or_id.isdigit() and int(key_or_id) < 2**63:
        survey = db.session.get(Survey, int(key_or_id))
    if survey is None:
        raise NotFound(gettext("no survey with key or id %(key)s", key=repr(key_or_id)))
    return survey


def live_version(survey_id: int) -> SurveyVersion | None:
    """The newest published version: what new invitations and responses use."""
    return db.session.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey_id, SurveyVersion.status == "published")
        .order_by(SurveyVersion.number.desc())
        .limit(1)
    )


def draft_of(survey_id: int) -> SurveyVersion | None:
    return db.session.scalar(
        select(SurveyVersion).where(SurveyVersion.survey_id == survey_id, SurveyVersion.status == "draft")
    )


def definition(version: SurveyVersion) -> surveys.Survey:
    return serialize.from_dict(version.definition)


def create_survey(spec: surveys.Survey, *, actor: StaffUser | None = None) -> Survey:
    """Store a new survey as draft version 1; publishing is designing.publish."""
    survey = Survey(key=spec.key, name=spec.name, default_locale=spec.default_locale)
    db.session.add(survey)
    flush_or_conflict(f"a survey with key {spec.key!r} already exists")
    add_version(survey, spec, 1)
    apply_rule(survey, spec.dispatch)
    audit.record("survey_created", actor=actor, target=survey, key=spec.key)
    db.session.commit()
    return survey


def add_version(survey: Survey, spec: surveys.Survey, number: int) -> SurveyVersion:
    version = SurveyVersion(
        survey_id=survey.id,
        number=number,
        status="draft",
        locales=list(spec.locales),
        definition=serialize.to_dict(spec),
    )
    db.session.add(version)
    sync_questions(version, spec)
    return version


def sync_questions(version: SurveyVersion, spec: surveys.Survey) -> None:
    """One Question row per question of the version, so answers and reports can refer to it.

    Rows are matched by key, and removed ones are deleted before new ones are added, so the
    (version, key) uniqueness holds at every step.
    """
    existing = {row.key: row for row in version.questions}
    rows = []
    for i, q in enumerate(spec.questions):
        row = existing.pop(q.key, None) or Question(key=q.key)
        row.position, row.type, row.role = i, q.type.value, q.role.value
        row.attribute, row.page = q.attribute, q.page
        rows.append(row)
    for orphan in existing.values():
        db.session.delete(orphan)
    db.session.flush()
    version.questions = rows
    db.session.flush()


def apply_rule(survey: Survey, rule: surveys.DispatchRule | None) -> None:
    existing = db.session.scalar(select(DispatchRule).where(DispatchRule.survey_id == survey.id))
    if rule is None:
        return
    row = existing or DispatchRule(survey_id=survey.id, sampling_seed=f"{survey.key}:{survey.id}")
    row.trigger = rule.trigger
    row.delay_hours = rule.delay_hours
    row.channels = ",".join(rule.channels)
    row.sampling = rule.sampling
    row.fatigue_days = rule.fatigue_days
    row.quiet_start, row.quiet_end = rule.quiet_hours or (None, None)
    row.rate_per_minute = rule.rate_per_minute
    row.reminder_after_days = rule.reminder_after_days
    row.expires_after_days = rule.expires_after_days
    row.filters = dict(rule.filters)
    row.priority = rule.priority
    db.session.add(row)
    db.session.flush()


def rule_row(survey_id: int) -> DispatchRule | None:
    return db.session.scalar(select(DispatchRule).where(DispatchRule.survey_id == survey_id))


def current_rule(survey_id: int) -> surveys.DispatchRule | None:
    """The rule as it runs now, in the survey format's terms."""
    row = rule_row(survey_id)
    if row is None:
        return None
    quiet = (row.quiet_start, row.quiet_end) if row.quiet_start and row.quiet_end else None
    return surveys.DispatchRule(
        trigger=row.trigger,
        delay_hours=row.delay_hours,
        channels=tuple(c for c in row.channels.split(",") if c),
        sampling=row.sampling,
        fatigue_days=row.fatigue_days,
        quiet_hours=quiet,
        rate_per_minute=row.rate_per_minute,
        reminder_after_days=row.reminder_after_days,
        expires_after_days=row.expires_after_days,
        filters=dict(row.filters or {}),
        priority=row.priority,
    )


def sending_surveys() -> list[tuple[Survey, DispatchRule]]:
    """Active surveys whose rule is switched on, highest priority first."""
    return list(
        db.session.execute(
            select(Survey, DispatchRule)
            .join(DispatchRule, DispatchRule.survey_id == Survey.id)
            .where(Survey.status == "active", DispatchRule.active.is_(True))
            .order_by(DispatchRule.priority.desc(), Survey.id)
        ).all()
    )


def set_sending(survey: Survey, active: bool, actor: StaffUser | None = None) -> None:
    """Turn automatic dispatch after purchases on or off (a survey without a rule gets the default)."""
    if active and survey.status != "active":
        raise Conflict(gettext("publish the survey before it can send"))
    rule = rule_row(survey.id)
    if rule is None:
        apply_rule(survey, surveys.DispatchRule())
        rule = rule_row(survey.id)
    rule.active = active
    audit.record("dispatch_started" if active else "dispatch_stopped", actor=actor, target=survey)
    db.session.commit()


def set_respondent_access(
    survey: Survey, *, open_link: bool, review_url: str | None, actor: StaffUser | None = None
) -> None:
    """Turn the public open link on or off, and set (or clear) the review link offered to promoters."""
    review_url = (review_url or "").strip() or None
    if (survey.open_link_enabled, survey.review_prompt_url) == (open_link, review_url):
        return
    survey.open_link_enabled, survey.review_prompt_url = open_link, review_url
    audit.record(
        "respondent_access_changed", actor=actor, target=survey, open_link=open_link, review_url=review_url
    )
    db.session.commit()


def latest_answered() -> int | None:
    """The survey with the most recent complete answer (each survey's newest from its index)."""
    from feedback.models import Response

    newest = (
        select(func.max(Response.submitted_at))
        .where(Response.survey_id == Survey.id, Response.status == "complete")
        .scalar_subquery()
    )
    return db.session.scalar(
        select(Survey.id).where(newest.is_not(None)).order_by(newest.desc(), Survey.id).limit(1)
    )


def response_count(survey_id: int) -> int:
    from feedback.models import Response

    return (
        db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey_id))
        or 0
    )
