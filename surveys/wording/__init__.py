"""Wording checks: catch questions that lead the customer, in every language with a rule file.

>>> [f.code for f in check("Do you always find what you need?")]
['absolute']
>>> check("How likely are you to recommend us to a friend or colleague?")
[]
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from surveys.messages import _
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
    "settle",
]


# A suggestion must itself be clean: nothing at these severities may be found in it.
BLOCKING = frozenset({"error", "warning"})
MAX_FIX_ROUNDS = 6


def check(text: str, lang: str = "en") -> list[Finding]:
    """Every wording problem found in ``text``, ordered by position.

    A finding's suggestion passes this same check with no error or warning: a rewrite that
    still leads, loads or presupposes is fixed further or not offered at all.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    rs = ruleset(lang)
    out = []
    for f in _findings(text, rs.lang):
        if f.suggestion is not None:
            settled = settle(f.suggestion, rs.lang)
            if settled != f.suggestion:
                f = replace(f, suggestion=settled)
        out.append(f)
    return out


def settle(candidate: str, lang: str = "en") -> str | None:
    """``candidate`` with further fixes applied until it passes the check, or None when it cannot."""
    seen: set[str] = set()
    for _round in range(MAX_FIX_ROUNDS):
        if not candidate or candidate in seen:
            return None
        seen.add(candidate)
        blocking = [f for f in _findings(candidate, lang) if f.severity in BLOCKING]
        if not blocking:
            return candidate
        fixes = [f.suggestion for f in blocking if f.suggestion and f.suggestion not in seen]
        if not fixes:
            return None
        candidate = fixes[0]
    return None


@lru_cache(maxsize=2048)
def _findings(text: str, lang: str) -> tuple[Finding, ...]:
    """The raw findings, whose suggestions have not been re-checked yet."""
    rs = ruleset(lang)
    n = normalize(text, rs.normalize)
    labels = labels_in_text(text)
    if labels is not None and sum(valence(rs, label) is not None for label in labels) >= 2:
        return tuple(check_labels(rs, labels))  # a list of scale labels, not a question
    findings = run_rules(rs, n)
    charged = tuple(f.span for f in findings if f.code == "loaded" and f.span)
    findings += double_barreled(rs, n, charged)
    # "می‌کنید" is one word: pieces joined by a zero-width non-joiner are not counted twice.
    joined = normalize(text.replace("\u200c", ""), rs.normalize) if "\u200c" in text else n
    words = len(WORD_RE.findall(joined.text))
    if words > rs.max_words:
        findings.append(
            Finding(
                "too_long",
                DEFAULT_SEVERITY["too_long"],
                _(
                    "%(words)s words. Long questions are skimmed on a phone; aim for %(most)s or fewer.",
                    words=words,
                    most=rs.max_words,
                ),
            )
        )
    return tuple(_dedupe(findings))


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
