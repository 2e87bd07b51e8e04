"""The model learned from corrections, the evaluation helper and emerging topics."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.themes import ThemeModel, emerging, tag, train
from analysis.themes.evaluate import Item, load, score

SYNTHETIC = [
    ("the lift was out of order again", "en", {"facilities"}),
    ("lift broken, had to take the stairs", "en", {"facilities"}),
    ("the lift is always out of service", "en", {"facilities"}),
    ("no lift working in the building", "en", {"facilities"}),
    ("toilets were dirty", "en", {"hygiene"}),
    ("the toilets smelled awful", "en", {"hygiene"}),
    ("dirty toilets and no soap", "en", {"hygiene"}),
    ("toilets need cleaning", "en", {"hygiene"}),
    ("nice day", "en", set()),
    ("all good", "en", set()),
    ("آسانسور خراب بود", "fa", {"facilities"}),
    ("آسانسور کار نمیکرد", "fa", {"facilities"}),
    ("دستشویی کثیف بود", "fa", {"hygiene"}),
    ("دستشویی ها تمیز نبودن", "fa", {"hygiene"}),
]


@pytest.fixture(scope="module")
def model():
    return train(SYNTHETIC, threshold=0.5)


def test_model_learns_the_examples(model):
    probabilities = dict(model.predict("the lift was broken", "en"))
    assert probabilities["facilities"] > probabilities["hygiene"]
    assert max(model.predict("dirty toilets", "en"), key=lambda cp: cp[1])[0] == "hygiene"
    assert model.predict("anything", "ru") == []  # no examples in Russian


def test_model_tags_join_the_rule_tags(model):
    found = tag("the lift was out of order, terrible, and the courier was late", "en", model=model)
    sources = {t.code: t.source for t in found}
    assert sources["delivery"] == "rule"
    assert sources["facilities"] == "model"
    (extra,) = [t for t in found if t.source == "model"]
    assert extra.span is None and 0.5 <= extra.confidence <= 1
    assert extra.polarity == "complaint"


def test_model_round_trips_as_json_and_bytes(model):
    again = ThemeModel.from_json(model.to_json())
    assert again == model
    assert ThemeModel.from_bytes(model.to_bytes()) == model
    text = "dirty lift"
    assert dict(again.predict(text, "en")) == pytest.approx(dict(model.predict(text, "en")))
    assert json.loads(model.to_json())["format"] == "candor-theme-model"
    assert "examples" in model.summary()
    with pytest.raises(ValueError, match="not a candor-theme-model"):
        ThemeModel.from_dict({"format": "something else"})


def test_plain_python_prediction_matches_scikit_learn():
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from analysis.themes.features import char_features, word_features
    from analysis.themes.ruleset import default_rules

    rows = [(t, c) for t, lang, c in SYNTHETIC if lang == "en"]
    matcher = default_rules("en").compiled()
    tokens = [matcher.tokenize(t) for t, _ in rows]
    vectorizers = [
        TfidfVectorizer(analyzer=a, sublinear_tf=True, lowercase=False)
        for a in (word_features, char_features)
    ]
    x = sparse.hstack([v.fit_transform(tokens) for v in vectorizers]).tocsr()
    y = np.array(["hygiene" in c for _, c in rows], dtype=int)
    clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(x, y)
    probe = matcher.tokenize("the toilets were dirty again")
    expected = clf.predict_proba(sparse.hstack([v.transform([probe]) for v in vectorizers]))[0, 1]
    ours = train([(t, "en", c) for t, c in rows], c=4.0).languages["en"].probabilities(probe)["hygiene"]
    assert ours == pytest.approx(expected, abs=1e-4)


def test_train_accepts_evaluation_items_and_skips_themes_with_one_class():
    items = [
        Item("en", "late courier", {"delivery": "complaint"}),
        Item("en", "slow courier", {"delivery": "complaint"}),
    ]
    model = train(items)
    assert model.languages["en"].codes == ()  # every example has the theme: nothing to contrast
    assert model.predict("courier", "en") == []


def test_evaluation_scores_per_language_and_theme(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(row, ensure_ascii=False)
            for row in [
                {
                    "lang": "en",
                    "text": "fast delivery, thanks",
                    "themes": [{"code": "delivery", "polarity": "praise"}],
                },
                {
                    "lang": "en",
                    "text": "the courier was rude",
                    "themes": [{"code": "staff", "polarity": "complaint"}],
                },
                {"lang": "en", "text": "great prices", "themes": []},
                {"lang": "ru", "text": "спасибо", "themes": [], "score": 9},
            ]
        ),
        "utf-8",
    )
    items = load(path)
    result = score(items)
    en = result.languages["en"]
    assert en.items == 3 and en.untagged_items == 1
    assert en.recall == 1.0
    assert en.precision == pytest.approx(2 / 4)  # "courier was rude" is delivery too; "great prices" is price
    assert en.false_tag_rate == 1.0
    assert result.themes[("en", "delivery")].false_pos == 1
    assert result.languages["ru"].false_tag_rate == 0.0
    assert result.to_dict()["overall"]["items"] == 4
    assert "precision" in result.summary()


def test_emerging_clusters_the_untagged_comments():
    comments = [
        "parking was full",
        "no parking spaces left",
        "parking spaces were all taken",
        "parking lot always full",
        "music far too loud",
        "loud music in the store",
        "the music was so loud",
        "turn the music down",
        "the courier was late",  # tagged: not clustered
    ]
    result = emerging(comments, "en", k=2)
    assert result.untagged == 8 and result.comments == 9
    assert sorted(t.size for t in result.topics) == [4, 4]
    for t in result.topics:
        assert len(t.examples) == 3
        assert set(t.examples) <= {0, 1, 2, 3} or set(t.examples) <= {4, 5, 6, 7}
    assert {t.terms[0] for t in result.topics} == {"parking", "music"}
    assert "Emerging topics" in result.summary()
    assert result.to_dict()["topics"][0]["size"] == 4


def test_emerging_with_too_little_to_cluster():
    assert emerging(["the courier was late"], "en").topics == ()
    assert emerging([], "fa").topics == ()


VETO_EXAMPLES = [
    *[(f"the courier was late again, day {i}", "en", {"delivery"}) for i in range(6)],
    *[(f"parcel arrived a week late {i}", "en", {"delivery"}) for i in range(6)],
    *[(f"i still got my delivery of good news today {i}", "en", set()) for i in range(8)],
    *[(f"lovely weather, the delivery of the speech was fine {i}", "en", set()) for i in range(8)],
]


def test_the_model_vetoes_a_rule_tag_it_reads_as_absent_and_keeps_the_rest():
    text = "the delivery of the speech was fine"
    assert [t.code for t in tag(text, "en")] == ["delivery"]  # the rules match the word
    strict = train(VETO_EXAMPLES, threshold=0.9, veto=0.5)
    assert dict(strict.predict(text, "en"))["delivery"] < 0.5
    assert tag(text, "en", model=strict) == []
    kept = tag("the courier was late", "en", model=strict)
    assert [(t.code, t.source) for t in kept] == [("delivery", "rule")]  # the model agrees
    lenient = train(VETO_EXAMPLES, threshold=0.9, veto=0.0)
    assert [t.code for t in tag(text, "en", model=lenient)] == ["delivery"]
    assert ThemeModel.from_json(strict.to_json()).veto == 0.5
    with pytest.raises(ValueError, match="veto"):
        train(VETO_EXAMPLES, threshold=0.5, veto=0.6)
