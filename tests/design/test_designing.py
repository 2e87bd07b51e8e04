"""Survey versions, publishing and the override audit, through the services."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from surveys import Text
from surveys.templates import transactional_nps


@pytest.fixture
def services(ctx):
    from feedback.services import audit
    from feedback.services.design import catalog, designing

    return catalog, designing, audit


def _respond(survey, version):
    """Store a response row the way the respondent side does (minimal, for versioning)."""
    from feedback.extensions import db
    from feedback.models import Answer, Response
    from feedback.models.types import utcnow

    question = next(q for q in version.questions if q.key == "nps")
    response = Response(
        survey_id=survey.id,
        version_id=version.id,
        status="complete",
        submitted_at=utcnow(),
        answers=[Answer(question_id=question.id, number=9)],
    )
    db.session.add(response)
    db.session.commit()
    return response


def test_a_response_to_v1_stays_with_v1_after_v2(services):
    catalog, designing, _ = services
    survey = designing.create_published(transactional_nps())
    v1 = catalog.live_version(survey.id)
    response = _respond(survey, v1)
    draft = designing.start_editing(survey.id)
    assert draft.version.number == 2
    nps = draft.spec.questions[0]
    new_text = Text(dict(nps.text.variants) | {"en": "How likely are you to recommend our shop to a friend?"})
    designing.save(
        draft, replace(draft.spec, questions=(replace(nps, text=new_text), *draft.spec.questions[1:]))
    )
    designing.publish(survey.id)
    from feedback.extensions import db
    from feedback.models import Response, SurveyVersion

    db.session.expire_all()
    assert catalog.live_version(survey.id).number == 2
    assert db.session.get(Response, response.id).version_id == v1.id
    frozen = db.session.get(SurveyVersion, v1.id)
    assert frozen.definition["questions"][0]["text"]["en"].startswith("How likely are you to recommend us")
    assert [v.number for v in designing.versions(survey.id)] == [2, 1]


def test_published_versions_cannot_be_saved(services):
    _catalog, designing, _ = services
    survey = designing.create_published(transactional_nps())
    draft = designing.start_editing(survey.id)
    designing.publish(survey.id)
    from feedback.services.errors import Conflict

    with pytest.raises(Conflict):
        designing.save(draft, draft.spec)


def _leading_draft(catalog, designing):
    base = transactional_nps(("en",))
    nps = replace(
        base.questions[0], text=Text({"en": "How likely are you to recommend our outstanding shop?"})
    )
    survey = catalog.create_survey(replace(base, questions=(nps, base.questions[1])))
    return survey


def test_publishing_a_leading_question_needs_a_reason(services):
    catalog, designing, audit = services
    survey = _leading_draft(catalog, designing)
    with pytest.raises(designing.PublishBlocked) as blocked:
        designing.publish(survey.id)
    assert blocked.value.findings[0][1].code == "leading"
    from feedback.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        designing.publish(survey.id, override_reason="ok")
    version = designing.publish(survey.id, override_reason="Brand name includes the word; legal approved.")
    assert version.status == "published"
    assert version.override_reason.startswith("Brand name")
    (event,) = audit.recent(action="survey_published_with_override")
    assert event.details["override_reason"].startswith("Brand name")
    assert event.details["findings"][0]["code"] == "leading"


def test_an_incomplete_draft_cannot_be_published(services):
    catalog, designing, _ = services
    base = transactional_nps(("en", "fa"))
    nps = replace(base.questions[0], text=Text({"en": base.questions[0].text.get("en")}))
    survey = catalog.create_survey(replace(base, questions=(nps, base.questions[1])))
    from feedback.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        designing.publish(survey.id)
    assert ("questions[0].text.fa", "missing translation") in err.value.errors


def test_new_survey_from_template_or_blank(services):
    _catalog, designing, _ = services
    survey = designing.new_survey("after-delivery", "After delivery", ["en", "ar"], "delivery-csat")
    spec = designing.get_draft(survey.id).spec
    assert spec.locales == ("en", "ar") and spec.questions[0].type.value == "csat"
    blank = designing.new_survey("blank", "Blank", ["fa"], None)
    assert designing.get_draft(blank.id).spec.questions == ()
    from feedback.extensions import db
    from feedback.models import Question

    assert db.session.scalars(
        select(Question).where(Question.version_id == designing.draft_version(survey.id).id)
    ).all()
