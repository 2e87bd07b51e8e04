"""Rule sets as data: the shipped files, extending them, and previewing a change."""

from __future__ import annotations

import pytest

from analysis.themes import THEMES, Rules, available_languages, default_rules, load_rules, merge, preview, tag


def test_a_rule_file_per_language_with_every_default_theme():
    assert available_languages() == ("ar", "en", "fa", "ru")
    for lang in available_languages():
        rules = default_rules(lang)
        assert rules.lang == lang
        assert set(THEMES) <= set(rules.themes)
        assert "Theme rules" in rules.summary()


def test_rules_round_trip_as_plain_data():
    rules = load_rules("ru")
    assert Rules.from_dict(rules.to_dict()) == rules
    assert hash(Rules.from_dict(rules.to_dict())) == hash(rules)


def test_extra_rules_extend_the_defaults():
    comment = "the trolley squeaks"
    assert tag(comment, "en") == []
    extended = load_rules("en", {"themes": {"product_defect": {"complaint": ["squeak*"]}}})
    assert [(t.code, t.polarity) for t in tag(comment, "en", rules=extended)] == [
        ("product_defect", "complaint")
    ]
    assert [t.code for t in tag(comment, rules=extended)] == ["product_defect"]  # language from the rules
    assert [t.code for t in tag(comment, "en", rules={"en": extended})] == ["product_defect"]


def test_extra_rules_can_add_a_theme_and_remove_entries():
    extra = {
        "themes": {
            "parking": {"department": "facilities", "topics": ["parking", "car park"], "label": "Parking"}
        },
        "remove": {"themes": {"staff": {"praise": ["helped me"]}}},
    }
    rules = load_rules("en", extra)
    assert "parking" in rules.themes
    assert "helped me" not in rules.to_dict()["themes"]["staff"]["praise"]
    assert {t.code for t in tag("the car park was full, terrible", "en", rules=rules)} == {"parking"}
    assert "facilities" in rules.summary()


def test_merge_keeps_lists_without_repeats():
    merged = merge({"polarity": {"praise": ["good"]}}, {"polarity": {"praise": ["good", "grand"]}})
    assert merged == {"polarity": {"praise": ["good", "grand"]}}


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"themes": {"new_theme": {"topics": ["x"]}}}, "give it a department"),
        ({"themes": {"price": {"colour": ["red"]}}}, "unknown keys colour"),
        ({"themes": {"price": {"complaint": "not a list"}}}, "must be a list"),
        ({"themes": {"price": {"complaint": [""]}}}, "not a word or phrase"),
        ({"themes": {"price": {"polarity": "angry"}}}, "polarity must be one of"),
        ({"shortcuts": {}}, "unknown rule keys: shortcuts"),
        ({"window": 99}, "whole number from 0 to 10"),
    ],
)
def test_bad_extra_rules_are_refused(extra, reason):
    with pytest.raises(ValueError, match=reason):
        load_rules("en", extra)


def test_rules_for_another_language_are_refused():
    with pytest.raises(ValueError, match="rules are for"):
        tag("hello", "fa", rules=load_rules("en"))


def test_preview_says_what_a_change_would_tag_and_untag():
    before = load_rules("en")
    after = load_rules(
        "en",
        {
            "themes": {"product_defect": {"complaint": ["squeak*"]}},
            "remove": {"themes": {"price": {"complaint": ["pricey"]}}},
        },
    )
    comments = ["the trolley squeaks", "bit pricey for what it is", "great staff"]
    result = preview(before, after, comments)
    assert result.newly_tagged == (0,)
    assert result.untagged == (1,)
    assert [c.index for c in result.changes] == [0, 1]
    assert result.changes[0].added == ("product_defect",)
    assert result.changes[1].removed == ("price",)
    assert result.to_dict()["changed"] == 2
    assert "newly tagged 1" in result.summary()


def test_preview_needs_one_language():
    with pytest.raises(ValueError, match="one language"):
        preview(load_rules("en"), load_rules("fa"), ["x"])
