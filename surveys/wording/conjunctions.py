"""Double-barreled questions: one question that asks about two things joined by 'and'/'or'.

Fixed phrases ("bed and breakfast"), balanced opposites ("satisfied or dissatisfied",
"easy or difficult") and ranges ("between 0 and 10") are not double-barreled, nor is
the scene set before the question ("Thinking about the last time you called and
waited, how …"): that clause describes what happened, it asks nothing.
"""

from __future__ import annotations

import re

from surveys.messages import Message
from surveys.wording.engine import WORD_RE, Normalized, RuleSet, tidy
from surveys.wording.findings import DEFAULT_SEVERITY, Finding

CLAUSE_END = re.compile(r"[,،;؛:]|\s[—–-]\s")
# Pieces joined by a zero-width non-joiner ("وقت‌شناس") are one word when a split is written out.
WORD_PIECE = r"[\w\u064B-\u065F\u0670\u0640]"


def double_barreled(rs: RuleSet, n: Normalized, charged: tuple[tuple[int, int], ...] = ()) -> list[Finding]:
    """``charged`` are the spans of loaded words: "long and infuriating" describes one queue."""
    conj = rs.conjunctions
    tokens = [(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(n.text)]
    scene_end = _scene_end(conj, n.text)
    out = []
    for i in range(len(tokens)):
        hit = _joined(conj, tokens, i)
        if hit is None:
            continue
        left_i, right_word, right_start, right_end = hit
        left = tokens[left_i]
        if left[1] < scene_end:
            continue
        if any(c in n.text[left[2] : right_start] for c in ".?!؟;؛"):
            continue  # "… again? And why?": a new sentence, not a second thing in this one
        if _exempt(rs, n, tokens, left_i, left[0], right_word, left[1], right_end):
            continue
        if _describes_one_thing(conj, n, charged, left[0], right_word, right_start, right_end):
            continue
        span = n.span(left[1], right_end)
        matched = n.original[span[0] : span[1]]
        message = Message.joined(Message(conj.message, match=matched), conj.advice or "")
        out.append(
            Finding(
                "double_barreled",
                DEFAULT_SEVERITY["double_barreled"],
                message,
                span,
                _split(rs, n, tokens, left_i, (right_word, right_start, right_end)),
            )
        )
    return out


def _scene_end(conj, text: str) -> int:
    """Where the scene-setting opening clause ends (0 when the text does not open with one)."""
    if conj.context is None or not conj.context.match(text.lstrip()):
        return 0
    ends = [m.start() for m in CLAUSE_END.finditer(text)]
    return ends[-1] if ends else 0


def _describes_one_thing(conj, n, charged, left: str, right: str, start: int, end: int) -> bool:
    """Whether a charged word after "and" only colours the thing already named ("long and awful queue").

    It is reported as loaded already. Where adjectives follow their noun (Persian, Arabic) a charged
    word straight after the conjunction is another adjective; where they agree with it (Russian) the two
    words must end alike, or the charged word opens a second thing ("fees and sloppy packaging").
    """
    if conj.charged_pairs == "never":
        return False
    span = n.span(start, end)
    if not any(a < span[1] and span[0] < b for a, b in charged):
        return False
    return conj.charged_pairs == "always" or left[-2:] == right[-2:]


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
    for a, b in conj.pair_stems:
        if (left.startswith(a) and right.startswith(b)) or (left.startswith(b) and right.startswith(a)):
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


def _split(rs: RuleSet, n: Normalized, tokens, left_i: int, right) -> str | None:
    """The two separate questions, when each side is plainly a single word ("price and quality of …")."""
    conj = rs.conjunctions
    if not conj.edges:
        return None
    text = n.original
    left = tokens[left_i]
    right_i = next((j for j in range(left_i + 1, len(tokens)) if tokens[j][2] >= right[2]), None)
    if right_i is None:
        return None
    head = right
    if right[0] in conj.determiners and right_i + 1 < len(tokens):
        right_i += 1  # "the price and the quality": the second "the" goes with the first
        head = tokens[right_i]
    if left[0] in conj.edges or head[0] in conj.edges:
        return None  # "services and our": a pronoun or preposition is not one of two things asked about
    if not (_edge(conj, n, tokens, left_i, -1) or left[0][-2:] == head[0][-2:]):
        return None
    if not _edge(conj, n, tokens, right_i, +1):
        return None
    ls, le = _word_span(text, n.span(left[1], left[2]))
    hs, he = _word_span(text, n.span(head[1], head[2]))
    first = tidy(text[:le] + text[he:])
    second = tidy(text[:ls] + text[hs:he] + text[he:])
    if first == second:
        return None
    if first[-1:] not in ".?!؟":
        first += rs.question_mark
    return f"{first} {second}"


def _edge(conj, n: Normalized, tokens, i: int, step: int) -> bool:
    """Whether the word next to token ``i`` (before it for -1, after for +1) closes the phrase."""
    j = i
    while True:
        j += step
        if j < 0 or j >= len(tokens):
            return True
        a, b = (tokens[j], tokens[j - step]) if step < 0 else (tokens[j - step], tokens[j])
        gap = n.original[n.span(a[1], a[2])[1] : n.span(b[1], b[2])[0]]
        if gap not in ("", "\u200c"):
            break  # otherwise the two pieces are one word ("وقت‌شناس") and the next piece decides
    if CLAUSE_END.search(gap) or any(c in gap for c in ".?!؟"):
        return True
    return tokens[j][0] in conj.edges


def _word_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    before = re.search(rf"(?:{WORD_PIECE}+\u200c)*$", text[: span[0]])
    after = re.match(rf"(?:\u200c{WORD_PIECE}+)*", text[span[1] :])
    return span[0] - len(before.group(0)), span[1] + len(after.group(0))
