"""Balance of rating labels: as many negative options as positive ones, and a middle when bipolar."""

from __future__ import annotations

import re
from collections import Counter

from surveys.messages import _
from surveys.wording.engine import RuleSet, normalize
from surveys.wording.findings import DEFAULT_SEVERITY, Finding

LIST_SPLIT = re.compile(r"\s*[/|;]\s*")


def valence(rs: RuleSet, label: str) -> str | None:
    """'positive', 'negative', 'neutral', or None when the label is not a known rating word."""
    text = normalize(label, rs.normalize).text.strip(" .!،,")
    for kind in ("neutral", "negative", "positive"):
        if text in rs.scale[kind]:
            return kind
    for kind in ("neutral", "negative", "positive"):
        if any(re.search(rf"(?<!\w){re.escape(w)}", text) for w in rs.scale[kind]):
            return kind
    return None


def check_labels(rs: RuleSet, labels: list[str], *, bipolar_needs_middle: bool = True) -> list[Finding]:
    kinds = [valence(rs, label) for label in labels]
    known = [k for k in kinds if k]
    if len(labels) < 3 or len(known) < len(labels) - 1:
        return []
    count = Counter(known)
    out = []
    if count["positive"] != count["negative"]:
        more, fewer = (
            ("positive", "negative") if count["positive"] > count["negative"] else ("negative", "positive")
        )
        out.append(
            Finding(
                "unbalanced_scale",
                DEFAULT_SEVERITY["unbalanced_scale"],
                (
                    _(
                        "The options lean one way: %(more)s positive against %(fewer)s negative. "
                        "An unbalanced scale pushes answers towards the side with more options.",
                        more=count[more],
                        fewer=count[fewer],
                    )
                    if more == "positive"
                    else _(
                        "The options lean one way: %(more)s negative against %(fewer)s positive. "
                        "An unbalanced scale pushes answers towards the side with more options.",
                        more=count[more],
                        fewer=count[fewer],
                    )
                ),
                None,
                rs.balanced_example,
            )
        )
    elif bipolar_needs_middle and count["positive"] and not count["neutral"] and len(labels) % 2 == 0:
        out.append(
            Finding(
                "missing_neutral",
                DEFAULT_SEVERITY["missing_neutral"],
                _(
                    "This two-sided scale has no middle option, so customers without a clear view "
                    "must pick a side."
                ),
                None,
                rs.balanced_example,
            )
        )
    return out


def labels_in_text(text: str) -> list[str] | None:
    """A list like 'Excellent / Very good / Good / Fair' written inside one text, if it is one."""
    parts = [p for p in LIST_SPLIT.split(text.strip()) if p]
    if len(parts) >= 3 and all(len(p.split()) <= 5 for p in parts):
        return parts
    return None
