"""The tagger in use: each language's shipped rules with staff's additions, and a theme model
trained from staff corrections plus the seed set that ships with ``analysis.themes``.

Training takes seconds, so the model is trained when the corrections change and kept for the
process; before any correction the seed-only model (``THEME_SEED_MODEL``) is also kept in the
instance folder, named by a digest of the seed files, so a worker restart loads it instead.
``version`` names what tagged a comment (rules versions and the last correction), which is how
a retag knows what is stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from analysis import themes as engine
from analysis.themes.model import DEFAULT_THRESHOLD, DEFAULT_VETO
from analysis.themes.model import VERSION as MODEL_VERSION
from feedback.extensions import db
from feedback.models import StaffUser, ThemeCorrection, ThemeRules
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.errors import ValidationFailed
from feedback.services.insights.collect import Tagger
from feedback.services.insights.corrections import labelled_examples

MIN_CORRECTIONS = 1  # below this the seed-only model (or, with THEME_SEED_MODEL off, the rules alone)
_cache: dict[str, Tagger] = {}
_seed_models: dict[str, engine.ThemeModel] = {}
log = logging.getLogger(__name__)


def _seed_files() -> list[tuple[str, str]]:
    folder = resources.files("analysis.themes") / "seed"
    if not folder.is_dir():
        return []
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".jsonl")), key=lambda e: e.name)
    return [(e.name, e.read_text("utf-8")) for e in entries]


def seed_examples() -> list[tuple[str, str, set[str]]]:
    """The labelled seed set shipped with the package (the development half of the labelled
    comments; the held-out half is never trained on)."""
    out = []
    for _name, text in _seed_files():
        for line in text.splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row["text"], row["lang"], {t["code"] for t in row.get("themes", [])}))
    return out


def seed_model() -> engine.ThemeModel:
    """The model of the seed set alone: from this process, else the instance folder, else trained."""
    digest = hashlib.sha256()
    for name, text in _seed_files():
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    key = f"{digest.hexdigest()[:16]}-v{MODEL_VERSION}-t{DEFAULT_THRESHOLD}-v{DEFAULT_VETO}"
    found = _seed_models.get(key)
    if found is not None:
        return found
    path = Path(current_app.instance_path) / f"theme-seed-model-{key}.json"
    try:
        found = engine.ThemeModel.from_bytes(path.read_bytes())
    except (OSError, ValueError, KeyError):
        log.info("training the theme model on the seed set (once; kept in %s)", path)
        found = engine.train(seed_examples())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(found.to_bytes())
            partial.replace(path)  # atomic: another worker never reads half a file
        except OSError as exc:
            log.warning("could not keep the seed theme model in %s: %s", path, exc)
    _seed_models.clear()
    _seed_models[key] = found
    return found


def staff_rules() -> dict[str, dict[str, Any]]:
    """language -> staff's additions to its rule file."""
    return {r.language: r.rules for r in db.session.scalars(select(ThemeRules))}


def rule_sets(extra: dict[str, dict[str, Any]] | None = None) -> dict[str, engine.Rules]:
    extra = staff_rules() if extra is None else extra
    return {lang: engine.load_rules(lang, extra.get(lang)) for lang in engine.available_languages()}


def _version() -> str:
    rules = db.session.execute(select(ThemeRules.language, ThemeRules.version)).all()
    last = db.session.scalar(select(func.max(ThemeCorrection.id))) or 0
    count = db.session.scalar(select(func.count()).select_from(ThemeCorrection)) or 0
    raw = json.dumps([sorted(map(list, rules)), last, count])
    return "r" + hashlib.sha256(raw.encode()).hexdigest()[:12]


def current_tagger() -> Tagger:
    version = _version()
    found = _cache.get(version)
    if found is None:
        corrections = labelled_examples()
        model = None
        if len(corrections) >= MIN_CORRECTIONS:
            model = engine.train([*seed_examples(), *corrections])
        elif current_app.config.get("THEME_SEED_MODEL"):
            model = seed_model()
        found = Tagger(rules=rule_sets(), model=model, version=version)
        _cache.clear()
        _cache[version] = found
    return found


def save_rules(language: str, extra: dict[str, Any], actor: StaffUser | None) -> engine.Rules:
    """Store staff's additions for ``language`` after checking them with the rule format."""
    if language not in engine.available_languages():
        raise ValidationFailed(
            [("language", gettext("one of %(choices)s", choices=", ".join(engine.available_languages())))]
        )
    try:
        rules = engine.load_rules(language, extra)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed([("rules", str(exc))]) from None
    row = db.session.get(ThemeRules, language)
    if row is None:
        row = ThemeRules(language=language, rules=extra, version=1)
        db.session.add(row)
    else:
        row.rules = extra
        row.version += 1
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if actor else None
    audit.record("theme_rules_changed", actor=actor, language=language, version=row.version)
    db.session.commit()
    return rules
