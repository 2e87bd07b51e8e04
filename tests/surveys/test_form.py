"""The respondent's view of a page, display logic, and reading a posted page back."""

from __future__ import annotations

import pytest

from surveys import Condition, Option, Question, QuestionType, Survey, Text
from surveys.form import page_numbers, page_view, parse_page, read_post
from surveys.templates import product_quality, transactional_nps
from surveys.templates.common import nps_question


def test_nps_page_in_persian_is_rtl_with_labelled_ends():
    view = page_view(transactional_nps(), "fa", 1, {})
    assert (view.dir, view.number, view.total, view.is_last) == ("rtl", 1, 2, False)
    (q,) = view.questions
    assert q.kind == "numeric"
    assert [c.label for c in q.choices] == [str(i) for i in range(11)]
    assert q.min_label == "اصلاً محتمل نیست"
    assert q.max_label == "بسیار محتمل"


@pytest.mark.parametrize(
    ("score", "start"),
    [
        (3, "What, if anything, could we"),
        (8, "What is the main reason"),
        (10, "What, if anything, stood out"),
    ],
)
def test_reason_wording_follows_the_score(score, start):
    view = page_view(transactional_nps(), "en", 2, {"nps": score})
    assert view.questions[0].text.startswith(start)
    assert view.is_last


def test_labelled_scale_has_dont_know():
    view = page_view(product_quality(), "ru", 1, {})
    driver = next(q for q in view.questions if q.key == "rate_price")
    assert driver.kind == "labelled"
    assert driver.choices[0].label == "Очень плохо"
    assert driver.choices[-1].value == "dont_know"


def test_parse_scale_answers_and_errors():
    survey = transactional_nps()
    assert parse_page(survey, 1, {"nps": ["9"]}, {}).answers == {"nps": 9}
    assert parse_page(survey, 1, {}, {}).errors == {"nps": "required"}
    for bad in (["11"], ["-1"], ["nine"], ["3", "4"], ["dont_know"]):
        assert parse_page(survey, 1, {"nps": bad}, {}).errors == {"nps": "invalid"}


def test_parse_open_text_limits():
    survey = transactional_nps()
    ok = parse_page(survey, 2, {"reason": ["  Too slow  "]}, {"nps": 4})
    assert ok.answers == {"reason": "Too slow"}
    assert parse_page(survey, 2, {"reason": ["x" * 2001]}, {"nps": 4}).errors == {"reason": "too_long"}
    assert parse_page(survey, 2, {}, {"nps": 4}).answers == {}


def _choice_survey(kind: QuestionType) -> Survey:
    opts = tuple(Option(k, Text({"en": k})) for k in ("a", "b", "c"))
    return Survey(
        "s",
        "S",
        ("en",),
        (
            Question(
                "c",
                kind,
                Text({"en": "Pick"}),
                options=opts,
                allow_other=True,
                dont_know=True,
                randomize=True,
            ),
        ),
    )


def test_multiple_choice_with_other_and_exclusive_dont_know():
    survey = _choice_survey(QuestionType.MULTIPLE_CHOICE)
    parsed = parse_page(survey, 1, {"c": ["a", "other"], "c__other": ["Gift card"]}, {})
    assert parsed.answers == {"c": ["a", "other"], "c__other": "Gift card"}
    assert parse_page(survey, 1, {"c": ["a", "dont_know"]}, {}).errors == {"c": "invalid"}
    assert parse_page(survey, 1, {"c": ["other"]}, {}).errors == {"c": "other_missing"}
    assert parse_page(survey, 1, {"c": ["zzz"]}, {}).errors == {"c": "invalid"}


def test_randomised_options_are_stable_per_respondent():
    survey = _choice_survey(QuestionType.SINGLE_CHOICE)
    orders = {
        tuple(c.value for c in page_view(survey, "en", 1, {}, seed=f"r{i}").questions[0].choices)
        for i in range(20)
    }
    assert len(orders) > 1
    again = page_view(survey, "en", 1, {}, seed="r1").questions[0].choices
    assert again == page_view(survey, "en", 1, {}, seed="r1").questions[0].choices
    assert [c.value for c in again][-2:] == ["other", "dont_know"]


def test_pages_hidden_by_display_logic_are_skipped():
    base = transactional_nps()
    assert page_numbers(base, {}) == [1, 2]
    q = base.questions[1]
    from dataclasses import replace

    from surveys import Condition

    gated = replace(base, questions=(base.questions[0], replace(q, show_if=Condition("nps", 0, 6))))
    assert page_numbers(gated, {"nps": 9}) == [1]
    assert page_numbers(gated, {"nps": 2}) == [1, 2]
    with pytest.raises(ValueError, match="not shown"):
        page_view(gated, "en", 2, {"nps": 9})


def test_a_posted_page_is_read_into_one_decision():
    survey = transactional_nps()  # page 1: the score; page 2: the reason
    assert read_post(survey, 1, {"nps": ["4"]}, {}) == read_post(survey, 1, {"nps": ["4"]}, {}, back=False)
    first = read_post(survey, 1, {"nps": ["4"]}, {})
    assert (first.kind, first.answers, first.target) == ("next", {"nps": 4}, 2)
    missing = read_post(survey, 1, {}, {})
    assert (missing.kind, missing.errors, missing.target) == ("errors", {"nps": "required"}, 1)
    last = read_post(survey, 2, {"reason": ["Late"]}, {"nps": 4})
    assert (last.kind, last.answers, last.target) == ("final", {"nps": 4, "reason": "Late"}, 2)
    # Back keeps what was valid on the page, even with an error elsewhere on it.
    back = read_post(survey, 2, {"reason": ["x" * 2001]}, {"nps": 4}, back=True)
    assert (back.kind, back.answers, back.target) == ("back", {"nps": 4}, 1)


def follow_up_survey() -> Survey:
    """Page 1: the score; page 2, only for a score of 6 or less: why."""
    why = Question(
        "why", QuestionType.OPEN_TEXT, Text({"en": "Why?"}), page=2, show_if=Condition("nps", max=6)
    )
    return Survey("s", "S", ("en",), (nps_question(("en",)), why))


def test_a_page_the_respondent_does_not_see_changes_nothing():
    survey = follow_up_survey()
    hidden = read_post(survey, 2, {"why": ["Slow"]}, {"nps": 9})
    assert (hidden.kind, hidden.answers) == ("not_shown", {"nps": 9})
    assert read_post(survey, 7, {"nps": ["1"]}, {"nps": 3}).answers == {"nps": 3}
    assert read_post(survey, 2, {"why": ["Slow"]}, {"nps": 3}).kind == "final"


def test_a_final_page_drops_answers_to_questions_no_longer_shown():
    survey = follow_up_survey()
    # Changing a 3 to a 9 hides the follow-up page: the form ends here, without its answer.
    posted = read_post(survey, 1, {"nps": ["9"]}, {"nps": 3, "why": "Slow"})
    assert (posted.kind, posted.answers, posted.target) == ("final", {"nps": 9}, 1)
    assert read_post(survey, 1, {"nps": ["2"]}, {"nps": 3, "why": "Slow"}).kind == "next"
