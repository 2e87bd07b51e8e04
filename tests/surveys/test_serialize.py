"""The survey JSON format round-trips and explains every problem with a path."""

from __future__ import annotations

import json

import pytest

from surveys import SurveyError, serialize
from surveys.templates import TEMPLATES


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_round_trip_exactly(name):
    survey = TEMPLATES[name]()
    exported = serialize.dumps(survey)
    again = serialize.loads(exported)
    assert again == survey
    assert serialize.dumps(again) == exported


def test_default_scale_is_filled_in_for_standard_types():
    survey = serialize.from_dict(
        {
            "key": "s",
            "name": "S",
            "locales": ["en", "fa"],
            "questions": [{"key": "q", "type": "nps", "text": {"en": "How likely...?", "fa": "چقدر...؟"}}],
        }
    )
    q = survey.questions[0]
    assert (q.scale.min, q.scale.max) == (0, 10)
    assert q.scale.min_label.get("fa")
    assert q.role.value == "nps"


def test_every_problem_is_listed_with_its_path():
    with pytest.raises(SurveyError) as err:
        serialize.from_dict(
            {
                "name": "x",
                "locales": ["en"],
                "questions": [{"type": "nps", "text": {"en": "x"}}, {"key": "b", "type": "foo", "text": 5}],
            }
        )
    paths = [p for p, _ in err.value.problems]
    assert paths == ["questions[0].key", "questions[1].type", "questions[1].text", "key"]


def test_structural_rules():
    base = {"key": "s", "name": "S", "locales": ["en", "fa"], "default_locale": "en"}
    with pytest.raises(SurveyError) as err:
        serialize.from_dict(
            {
                **base,
                "questions": [
                    {
                        "key": "q",
                        "type": "open_text",
                        "text": {"en": "Why?"},
                        "show_if": {"question": "later", "min": 0, "max": 6},
                    },
                    {
                        "key": "q",
                        "type": "single_choice",
                        "text": {"en": "Pick", "fa": "انتخاب"},
                        "options": [{"key": "a", "label": {"en": "A", "fa": "الف"}}],
                    },
                ],
            }
        )
    messages = dict(err.value.problems)
    assert messages["questions[0].text.fa"] == "missing translation"
    assert "not an earlier question" in messages["questions[0].show_if"]
    assert "duplicate" in messages["questions[1].key"]
    assert "at least two options" in messages["questions[1].options"]


def test_invalid_json_is_a_survey_error():
    with pytest.raises(SurveyError, match="not valid JSON"):
        serialize.loads("{nope")
    with pytest.raises(SurveyError):
        serialize.from_dict(json.loads("[1, 2]"))
