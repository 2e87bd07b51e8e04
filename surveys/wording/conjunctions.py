"""Double-barreled questions: one question that asks about two things joined by 'and'/'or'.

Fixed phrases ("bed and breakfast"), balanced opposites ("satisfied or dissatisfied",
"easy or difficult") and ranges ("between 0 and 10") are not double-barreled.
"""

from __future__ import annotations

from surveys.wording.engine import WORD_RE, Normalized, RuleSet, tidy
from surveys.wording.findings import DEFAULT_SEVERITY, Finding


def double_barreled(rs: RuleSet, n: Normalized) -> list[Finding]:
    conj = rs.conjunctions
    tokens = [(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(n.text)]
    out = []
    for i in range(len(tokens)):
        hit = _joined(conj, tokens, i)
        if hit is None:
            continue
        left_i, right_word, right_start, right_end = hit
        left = tokens[left_i]
        if _exempt(rs, n, tokens, left_i, left[0], right_word, left[1], right_end):
            continue
        span = n.span(left[1], right_end)
        out.append(
            Finding(
                "double_barreled",
                DEFAULT_SEVERITY["double_barreled"],
                conj.message.format(match=n.original[span[0] : span[1]]),
                span,
                _split(n, left, (right_word, right_start, right_end)),
            )
        )
    return out


def _joined(conj, tokens, i):
    """(left token index, right word, right start, right end) when token i is a conjunction."""
    word, _start, end = tokens[i]
    if i == 0:
        return None
    if word in conj.words and i + 1 < len(tokens):
        right = tokens[i + 1]
        return i - 1, right[0], right[1], right[2]
    if conj.attached is not None:
        m = conj.attached.fullmatch(word)
        if m:
            rest = m.group("rest")
            return i - 1, rest, end - len(rest), end
    return None


def _exempt(rs, n, tokens, left_i, left, right, left_start, right_end) -> bool:
    conj = rs.conjunctions
    if left.isdigit() or right.isdigit():
        return True
    if right in conj.negations or left in conj.negations:
        return True  # "satisfied or not", "راضٍ أو غير راضٍ"
    if frozenset((left, right)) in conj.balanced_pairs:
        return True
    for prefix in conj.antonym_prefixes:
        if right == prefix + left or left == prefix + right:
            return True
        if right.startswith(prefix) and left[:4] == right[len(prefix) : len(prefix) + 4]:
            return True  # inflected opposites: "довольны или недовольны" with different endings
    before = {t[0] for t in tokens[max(0, left_i - 3) : left_i]}
    if before & conj.range_words:
        return True
    window_start = tokens[max(0, left_i - 3)][1]
    window_end = min(len(n.text), right_end + 30)
    window = n.text[window_start:window_end]
    for fixed in conj.fixed:
        for m in fixed.finditer(window):
            if m.start() + window_start <= left_start + len(left) and m.end() + window_start >= right_end:
                return True
    return False


def _split(n: Normalized, left, right) -> str | None:
    """Suggest the two separate questions, when each side is a single word."""
    text = n.original
    ls, le = n.span(left[1], left[2])
    rs_, re_ = n.span(right[1], right[2])
    first = tidy(text[:le] + text[re_:])
    second = tidy(text[:ls] + text[rs_:re_] + text[re_:])
    if first == second:
        return None
    return f"Ask two questions: “{first}” and “{second}”"
