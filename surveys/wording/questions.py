"""Checks on a whole question: every translation of every text, its scale and its options."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from surveys.messages import _
from surveys.wording.findings import DEFAULT_SEVERITY, Finding

if TYPE_CHECKING:
    from surveys.model import Question


def check_question(question: Question, locales: list[str] | None = None) -> list[Finding]:
    """Wording, scale balance and missing-option checks for every locale of ``question``."""
    from surveys.model import CHOICE_TYPES, Role
    from surveys.wording import check
    from surveys.wording.engine import available_languages, ruleset
    from surveys.wording.scales import check_labels, valence

    known = set(available_languages())
    wanted = locales or sorted(question.text.locales)
    out: list[Finding] = []
    for locale in wanted:
        lang = locale.split("-")[0]
        if lang not in known:
            continue
        rs = ruleset(lang)
        texts = [("text", question.text)] + [
            (f"variants[{i}].text", v.text) for i, v in enumerate(question.variants)
        ]
        for field, text in texts:
            value = text.variants.get(locale)
            if value:
                out += [replace(f, locale=locale, field=field) for f in check(value, lang)]
        scale = question.scale
        if scale is not None and scale.labels:
            labels = [t.variants.get(locale, "") for t in scale.labels]
            out += [replace(f, locale=locale, field="scale.labels") for f in check_labels(rs, labels)]
        elif scale is not None and scale.min_label and scale.max_label:
            ends = [valence(rs, t.variants.get(locale, "")) for t in (scale.min_label, scale.max_label)]
            if ends[0] is not None and ends[0] == ends[1]:
                out.append(
                    Finding(
                        "unbalanced_scale",
                        DEFAULT_SEVERITY["unbalanced_scale"],
                        _(
                            "Both ends of the scale are positive; the lowest point should be the opposite "
                            "of the highest."
                        )
                        if ends[0] == "positive"
                        else _(
                            "Both ends of the scale are negative; the lowest point should be the opposite "
                            "of the highest."
                        ),
                        None,
                        None,
                        locale,
                        "scale",
                    )
                )
        if question.type in CHOICE_TYPES and len(question.options) >= 3:
            labels = [o.label.variants.get(locale, "") for o in question.options]
            out += [replace(f, locale=locale, field="options") for f in check_labels(rs, labels)]
    if question.role == Role.DRIVER and not question.dont_know:
        out.append(
            Finding(
                "missing_neutral",
                "info",
                _(
                    "Add a “Don't know / not applicable” option: customers who did not use this "
                    "should not have to guess."
                ),
                None,
                None,
                None,
                "dont_know",
            )
        )
    return out
