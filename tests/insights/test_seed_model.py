"""Before any staff correction the tagger uses a model of the shipped seed set, trained once and
kept in the instance folder, so a restarted worker loads it instead of training again."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_app

LATE = {"code": "delivery", "polarity": "complaint"}
SEED = "\n".join(
    [
        *(
            json.dumps({"lang": "en", "text": f"the courier was late {i}", "themes": [LATE]})
            for i in range(6)
        ),
        *(json.dumps({"lang": "en", "text": f"lovely weather today {i}", "themes": []}) for i in range(6)),
    ]
)


@pytest.fixture
def seeded(monkeypatch, database_url, tmp_path):
    from feedback.services.insights import training

    monkeypatch.setattr(training, "_seed_files", lambda: [("tiny.jsonl", SEED)])
    monkeypatch.setattr(training, "_seed_models", {})
    monkeypatch.setattr(training, "_cache", {})
    app = make_app(database_url, THEME_SEED_MODEL=True)
    app.instance_path = str(tmp_path)
    yield app, training, tmp_path
    _close(app)


def _close(app) -> None:
    with app.app_context():
        from feedback.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_the_seed_model_is_trained_once_and_kept(seeded, monkeypatch):
    app, training, folder = seeded
    with app.app_context():
        tagger = training.current_tagger()
        assert tagger.model is not None and set(tagger.model.languages) == {"en"}
    (kept,) = folder.glob("theme-seed-model-*.json")
    monkeypatch.setattr(training, "_seed_models", {})
    monkeypatch.setattr(training, "_cache", {})

    def no_training(*_args, **_kwargs):
        raise AssertionError("trained again instead of loading the kept model")

    monkeypatch.setattr(training.engine, "train", no_training)
    with app.app_context():
        assert training.current_tagger().model == tagger.model
    assert list(folder.glob("theme-seed-model-*.json")) == [kept]


def test_a_changed_seed_set_is_trained_anew_and_a_broken_file_is_replaced(seeded, monkeypatch):
    app, training, folder = seeded
    with app.app_context():
        training.current_tagger()
    (first,) = folder.glob("theme-seed-model-*.json")
    first.write_text("{not json")
    monkeypatch.setattr(training, "_seed_models", {})
    monkeypatch.setattr(training, "_cache", {})
    with app.app_context():
        assert training.current_tagger().model is not None  # the broken file is trained over
    assert first.read_text().startswith("{")
    monkeypatch.setattr(training, "_seed_files", lambda: [("tiny.jsonl", SEED + "\n")])
    monkeypatch.setattr(training, "_seed_models", {})
    monkeypatch.setattr(training, "_cache", {})
    with app.app_context():
        training.current_tagger()
    assert len(list(folder.glob("theme-seed-model-*.json"))) == 2


def test_the_suite_and_a_company_that_turns_it_off_tag_with_the_rules_alone(database_url, tmp_path):
    from feedback.services.insights import training

    app = make_app(database_url)
    app.instance_path = str(tmp_path)
    assert app.config["THEME_SEED_MODEL"] is False
    with app.app_context():
        training._cache.clear()
        assert training.current_tagger().model is None
    _close(app)
    assert list(tmp_path.glob("theme-seed-model-*")) == []
