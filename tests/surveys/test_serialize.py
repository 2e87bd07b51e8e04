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


def test_every_question_type_and_option_round_trips():
    from surveys import Condition, Option, Question, QuestionType, Role, Survey, Text, TextVariant
    from surveys.standard import ces_scale, csat_scale, likert_scale, nps_scale

    loc = ("en", "ar")

    def t(s):
        return Text({"en": s, "ar": s})

    opts = tuple(Option(k, t(k)) for k in ("a", "b", "c"))
    survey = Survey(
        "all",
        "All types",
        loc,
        (
            Question("n", QuestionType.NPS, t("N?"), Role.NPS, required=True, scale=nps_scale(loc)),
            Question("c", QuestionType.CSAT, t("C?"), Role.CSAT, scale=csat_scale(loc)),
            Question("e", QuestionType.CES, t("E?"), Role.CES, scale=ces_scale(loc)),
            Question(
                "l",
                QuestionType.LIKERT,
                t("L?"),
                Role.DRIVER,
                attribute="price",
                scale=likert_scale(loc, 7),
                dont_know=True,
            ),
            Question(
                "s",
                QuestionType.SINGLE_CHOICE,
                t("S?"),
                Role.TOUCHPOINT,
                options=opts,
                allow_other=True,
                randomize=True,
                dont_know=True,
            ),
            Question(
                "m", QuestionType.MULTIPLE_CHOICE, t("M?"), options=opts, page=2, show_if=Condition("n", 0, 6)
            ),
            Question(
                "o",
                QuestionType.OPEN_TEXT,
                t("O?"),
                Role.REASON,
                page=2,
                max_length=500,
                variants=(TextVariant(Condition("n", 9, 10), t("Why so high?")),),
            ),
        ),
        default_locale="ar",
        intro=t("Hi"),
        thanks=t("Thanks"),
    )
    assert serialize.loads(serialize.dumps(survey)) == survey
    assert {q.type for q in survey.questions} == set(QuestionType)
