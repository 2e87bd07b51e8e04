"""A survey's dispatch rule as it runs: read, changed by staff, and kept in step with the drafts.

The rule is an operating setting: a change takes effect for the next purchase, without a
new version. The open draft (and any draft started later) carries the same rule, so
publishing never brings an older one back.
"""

from __future__ import annotations

from dataclasses import replace

import surveys
from feedback.extensions import db
from feedback.models import StaffUser, Survey
from feedback.services import audit
from feedback.services.design import catalog
from surveys import serialize


def save(survey: Survey, rule: surveys.DispatchRule, actor: StaffUser | None = None) -> None:
    """Store a checked rule (``serialize.dispatch_from_dict``) and put it in the open draft."""
    before = catalog.current_rule(survey.id)
    catalog.apply_rule(survey, rule)
    draft = catalog.draft_of(survey.id)
    if draft is not None:
        spec = replace(serialize.from_dict(draft.definition, complete=False), dispatch=rule)
        draft.definition = serialize.to_dict(spec)
    changed = {
        key: value
        for key, value in serialize.dispatch_to_dict(rule).items()
        if before is None or serialize.dispatch_to_dict(before).get(key) != value
    }
    audit.record("dispatch_rule_changed", actor=actor, target=survey, changes=changed)
    db.session.commit()


def definition_as_run(survey_id: int, definition: dict) -> dict:
    """A version's survey document with the rule that runs now (for exports)."""
    rule = catalog.current_rule(survey_id)
    if rule is None:
        return definition
    return definition | {"dispatch": serialize.dispatch_to_dict(rule)}
