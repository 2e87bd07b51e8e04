"""The tagger in use: each language's shipped rules with staff's additions, and a theme model
trained from staff corrections plus the seed set that ships with ``analysis.themes``.

Training takes about a second, so the model is trained when the corrections change and kept
for the process; ``version`` names what tagged a comment (rules versions and the last
correction), which is how a retag knows what is stale.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from sqlalchemy import func, select

from analysis import themes as engine
from feedback.extensions import db
from feedback.models import StaffUser, ThemeCorrection, ThemeRules
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.errors import ValidationFailed
from feedback.services.insights.collect import Tagger
from feedback.services.insights.corrections import labelled_examples

MIN_CORRECTIONS = 1  # below this the rules tag alone
_cache: dict[str, Tagger] = {}


def seed_examples() -> list[tuple[str, str, set[str]]]:
    """The labelled seed set shipped with the package (the development half of the labelled
    comments; the held-out half is never trained on)."""
    folder = resources.files("analysis.themes") / "seed"
    out = []
    if not folder.is_dir():
        return out
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".jsonl"):
            continue
        for line in entry.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row["text"], row["lang"], {t["code"] for t in row.get("themes", [])}))
    return out


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
        found = Tagger(rules=rule_sets(), model=model, version=version)
        _cache.clear()
        _cache[version] = found
    return found


def save_rules(language: str, extra: dict[str, Any], actor: StaffUser | None) -> engine.Rules:
    """Store staff's additions for ``language`` after checking them with the rule format."""
    if language not in engine.available_languages():
        raise ValidationFailed([("language", f"one of {', '.join(engine.available_languages())}")])
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
