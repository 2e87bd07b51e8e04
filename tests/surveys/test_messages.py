"""Messages from ``surveys`` read in English as before and can be put back into any language."""

from __future__ import annotations

from pathlib import Path

import pytest

import surveys
from surveys import messages, serialize, wording
from surveys.messages import Message
from surveys.wording.engine import ruleset
from surveys.wording.extract import extract

RULES = Path(surveys.__file__).parent / "wording" / "rules"


def test_a_message_is_its_english_sentence_and_keeps_how_it_was_made():
    m = messages._("duplicate question key %(key)s", key="'q1'")
    assert m == "duplicate question key 'q1'" and isinstance(m, str)
    assert m.parts == (("duplicate question key %(key)s", {"key": "'q1'"}),)
    upper = {"duplicate question key %(key)s": "CLÉ EN DOUBLE %(key)s"}
    assert m.render(lambda s: upper.get(s, s)) == "CLÉ EN DOUBLE 'q1'"
    assert messages.render("plain text", lambda s: "X") == "plain text"  # not a Message: as it is


def test_joined_sentences_are_translated_one_by_one():
    m = Message.joined(Message("“%(match)s” signals the answer.", match="obviously"), "Remove it.")
    assert m == "“obviously” signals the answer. Remove it."
    table = {"“%(match)s” signals the answer.": "«%(match)s» pokazyvaet otvet.", "Remove it.": "Uberite."}
    assert m.render(lambda s: table[s]) == "«obviously» pokazyvaet otvet. Uberite."
    assert m.render(lambda s: table[s], value=str.upper) == "«OBVIOUSLY» pokazyvaet otvet. Uberite."


def test_percent_style_escapes_a_literal_percent_only_when_there_are_values():
    assert messages.percent_style("“{match}” is 100% sure") == "“%(match)s” is 100%% sure"
    assert messages.percent_style("100% sure") == "100% sure"
    assert Message(messages.percent_style("“{match}” is 100% sure"), match="x") == "“x” is 100% sure"


def test_survey_problems_are_messages_and_the_api_text_is_unchanged():
    with pytest.raises(surveys.SurveyError) as caught:
        serialize.from_dict({"format": "nope"})
    problems = dict(caught.value.problems)
    assert problems["format"] == "unknown format 'nope'; expected 'candor-survey/1'"
    assert isinstance(problems["format"], Message) and problems["locales"] == "is required"
    assert str(caught.value).startswith("format: unknown format 'nope'")


@pytest.mark.parametrize("lang", ["en", "fa", "ar", "ru"])
def test_every_rule_message_the_checker_uses_is_extracted_for_the_catalogs(lang):
    with (RULES / f"{lang}.toml").open("rb") as handle:
        extracted = {msgid for _line, _func, msgid, _c in extract(handle, (), (), {})}
    rs = ruleset(lang)
    used = {r.message for r in rs.rules} | {r.advice for r in rs.rules if r.advice}
    if rs.conjunctions is not None:
        used |= {rs.conjunctions.message} | ({rs.conjunctions.advice} if rs.conjunctions.advice else set())
    if rs.acronyms is not None:
        used |= {rs.acronyms.message} | ({rs.acronyms.advice} if rs.acronyms.advice else set())
    assert used and used <= extracted, used - extracted


def test_a_finding_names_its_rule_sentence_and_advice_for_translation():
    found = wording.check("Don't you agree our service is excellent?", "en")
    found = [f for f in found if f.code == "leading"]
    assert found, "the leading question is caught"
    message = found[0].message
    assert isinstance(message, Message) and len(message.parts) == 2
    assert "%(match)s" in message.parts[0][0] and message.parts[0][1]["match"] in message
