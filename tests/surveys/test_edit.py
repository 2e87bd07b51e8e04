"""Every way of building a survey checks it, although the model itself knows no rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

import surveys
from surveys import QuestionType, SurveyError, edit
from surveys.templates import transactional_nps


def test_an_edit_that_breaks_a_rule_is_refused():
    survey = transactional_nps()
    clash = replace(edit.new_question(survey, QuestionType.OPEN_TEXT), key=survey.questions[0].key)
    with pytest.raises(SurveyError) as err:
        edit.add_question(survey, clash)
    assert any("duplicate" in message or "unique" in message for _, message in err.value.problems)


def test_checked_returns_the_survey_itself_or_lists_every_problem():
    survey = transactional_nps()
    assert surveys.checked(survey) is survey
    broken = replace(survey, key="Not A Key", name=" ")
    with pytest.raises(SurveyError) as err:
        surveys.checked(broken)
    assert {path for path, _ in err.value.problems} >= {"key", "name"}


def test_a_template_is_checked_as_it_is_built():
    with pytest.raises(SurveyError, match="listed twice"):
        transactional_nps(("en", "en"))
