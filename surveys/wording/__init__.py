"""Wording checks: catch questions that lead the customer, in every language with a rule file.

>>> [f.code for f in check("Do you always find what you need?")]
['absolute']
>>> check("How likely are you to recommend us to a friend or colleague?")
[]
"""

from __future__ import annotations

from surveys.wording.conjunctions import double_barreled
from surveys.wording.engine import WORD_RE, available_languages, normalize, ruleset, run_rules
from surveys.wording.findings import CODES, DEFAULT_SEVERITY, SEVERITIES, Finding
from surveys.wording.questions import check_question
from surveys.wording.scales import check_labels, labels_in_text, valence

__all__ = [
    "CODES",
    "SEVERITIES",
    "Finding",
    "available_languages",
    "check",
    "check_labels_text",
    "check_question",
]


def check(text: str, lang: str = "en") -> list[Finding]:
    """Every wording problem found in ``text``, ordered by position."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    rs = ruleset(lang)
    n = normalize(text, rs.normalize)
    labels = labels_in_text(text)
    if labels is not None and sum(valence(rs, label) is not None for label in labels) >= 2:
        return check_labels(rs, labels)  # a list of scale labels, not a question
    findings = run_rules(rs, n) + double_barreled(rs, n)
    words = len(WORD_RE.findall(n.text))
    if words > rs.max_words:
        findings.append(
            Finding(
                "too_long",
                DEFAULT_SEVERITY["too_long"],
                f"{words} words. Long questions are skimmed on a phone; aim for {rs.max_words} or fewer.",
            )
        )
    return _dedupe(findings)


def check_labels_text(labels: list[str], lang: str = "en") -> list[Finding]:
    """Balance checks for the labels of a rating scale or the options of a choice question."""
    return check_labels(ruleset(lang), labels)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.span or (10**9, 0))[0]):
        if any(g.code == f.code and _overlap(g.span, f.span) for g in out):
            continue
        out.append(f)
    return out


def _overlap(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]
