"""From the terms found in a comment to theme tags with a polarity.

Clauses bound everything: a negation reaches the first cue after it (or, for cues such as
Persian "نبود", before it) within the rule set's window, a judgement ("late", "rude",
"terrible") applies to the themes named in its own clause, and a qualifier with no theme in
its clause attaches to the nearest clause that names one. Two kinds of evidence are weak: a
complaint word negated ("not late", "no problems") and a theme named without a judgement.
A theme with only weak evidence is left out when another theme draws a real complaint, so
"the delivery was not late, but the box was crushed" is about the packaging alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from analysis.themes.matcher import Match, Matcher
from analysis.themes.result import ThemeTag
from analysis.themes.tokens import Tokens

BEARERS = ("topic", "object", "cue", "near", "general")
JUDGES = ("cue", "near", "general")
MAX_CHARS = 20_000  # a comment is read up to here: longer input is pasted text, not a comment
CONFIDENCE = {"cue": 0.9, "near": 0.85, "negated": 0.8, "general": 0.75, "weak": 0.55}


@dataclass(frozen=True)
class Evidence:
    theme: str
    polarity: str
    strong: bool
    first: int
    last: int
    confidence: float
    clause: int
    concession: bool = False  # from a complaint denied ("not late", "no problems")


def judged(polarity: str | None, negated: bool) -> tuple[str, bool]:
    """Polarity after negation, and whether it is strong evidence."""
    if polarity == "weak_praise":
        return ("complaint", True) if negated else ("praise", False)
    if not negated or polarity in (None, "neutral"):
        return polarity or "neutral", True
    return ("praise", False) if polarity == "complaint" else ("complaint", True)


def rule_tags(tokens: Tokens, matcher: Matcher) -> list[ThemeTag]:
    """The tags the rules give a tokenised comment, in the order they appear."""
    return analyse(tokens, matcher)[0]


def comment_polarity(tokens: Tokens, matcher: Matcher) -> str:
    """The comment's overall judgement from its polarity words alone (for tags without a rule)."""
    return analyse(tokens, matcher)[1]


def analyse(tokens: Tokens, matcher: Matcher) -> tuple[list[ThemeTag], str]:
    """The rule tags and the comment's overall polarity, from one pass of the matcher."""
    if not tokens.items:
        return [], "neutral"
    matches = _resolve(matcher.find(tokens))
    _negate(matches, matcher.window)
    evidence = _evidence(matches, tokens.clauses, matcher.themes)
    polarities = [judged(m.term.polarity, m.negated)[0] for m in matches if m.role == "general"]
    overall = (
        "complaint" if "complaint" in polarities else ("praise" if "praise" in polarities else "neutral")
    )
    return _combine(evidence, tokens, matcher.themes), overall


def _resolve(found: list[Match]) -> list[Match]:
    """Of overlapping terms of one theme keep the longest; a negation inside a kept phrase is spent."""
    groups: dict[str | None, list[Match]] = defaultdict(list)
    kept: list[Match] = []
    for m in found:
        if m.role == "exclude":
            kept.append(m)
        else:
            groups["negation" if m.role.startswith("negate") else m.theme].append(m)
    negations = _longest(groups.pop("negation", []))
    for group in groups.values():
        kept += _longest(group)
    negating = {i for n in negations for i in range(n.first, n.last + 1)}
    for m in kept:
        # "деньги не вернули" matched as "деньги вернули": the negation in the gap still counts.
        if m.role in BEARERS and negating & (set(range(m.first, m.last + 1)) - set(m.positions)):
            m.negated = True
    worded = {i for m in kept if m.role in BEARERS for i in m.positions}
    kept += [n for n in negations if not any(i in worded for i in range(n.first, n.last + 1))]
    return sorted(kept, key=lambda m: (m.first, m.last))


def _longest(group: list[Match]) -> list[Match]:
    taken: set[int] = set()
    kept = []
    for m in sorted(group, key=lambda m: (m.first - m.last, m.first)):
        cells = set(range(m.first, m.last + 1))
        if not cells & taken:
            taken |= cells
            kept.append(m)
    return kept


def _negate(matches: list[Match], window: int) -> None:
    # Negations set rather than flip: Persian, Russian and Arabic stack them for one denial
    # ("هیچ مشکلی نداشتم", "никаких проблем не было").
    bearers = [m for m in matches if m.role in BEARERS]
    in_clause: dict[int, list[Match]] = defaultdict(list)
    for m in bearers:
        in_clause[m.clause].append(m)
    for n in matches:
        if not n.role.startswith("negate"):
            continue
        near = in_clause.get(n.clause, [])
        targets = _before(n, near, window) if n.role == "negate_after" else []
        for m in targets or _after(n, near, window):
            m.negated = True
    # A verb negated by its own prefix ("نرسید") negates the judgement just before it instead
    # ("دیر نرسید": it was not late), when there is one.
    for m in bearers:
        if m.negated and m.prefix_negated and m.role in ("topic", "object"):
            before = [
                p for p in bearers if p.role in JUDGES and p.clause == m.clause and 0 < m.first - p.last <= 2
            ]
            if before:
                for p in before:
                    p.negated = True
                m.negated = False


def _after(n: Match, bearers: list[Match], window: int) -> list[Match]:
    found = [m for m in bearers if m.clause == n.clause and m.first > n.first and m.first - n.last <= window]
    first = min((m.first for m in found), default=None)
    return [m for m in found if m.first == first]


def _before(n: Match, bearers: list[Match], window: int) -> list[Match]:
    found = [m for m in bearers if m.clause == n.clause and m.last < n.first and n.first - m.last <= window]
    last = max((m.last for m in found), default=None)
    return [m for m in found if m.last == last]


def _evidence(matches: list[Match], clauses: int, themes: dict[str, dict]) -> list[Evidence]:
    by_clause: list[list[Match]] = [[] for _ in range(clauses)]
    for m in matches:
        by_clause[m.clause].append(m)
    named = [{m.theme for m in ms if m.role in ("topic", "object")} for ms in by_clause]
    topics = [{m.theme for m in ms if m.role == "topic"} for ms in by_clause]
    claimed = {m.clause for m in matches if m.role == "cue" and themes.get(m.theme, {}).get("claims_clause")}
    excluded = {(m.theme, m.clause) for m in matches if m.role == "exclude"}
    out: list[Evidence] = []
    judged_at: set[tuple[str, int]] = set()
    for c, ms in enumerate(by_clause):
        for m in ms:
            if m.role == "cue":
                if m.negated and m.term.polarity == "neutral":
                    continue  # "nothing to add" asks for nothing
                pol, strong = judged(m.term.polarity, m.negated)
                owners = {m.theme}
                if themes.get(m.theme, {}).get("yields") and not _names(m, themes[m.theme]):
                    if _closer(m, ms):
                        continue  # "the box was sturdy": the word judges the packaging named beside it
                    mentioned = m.theme in named[c] or (c > 0 and m.theme in named[c - 1])
                    others = set() if mentioned else _unjudged(topics[c] - {m.theme}, ms)
                    if others:
                        owners = others  # "the app doesn't work" judges the app, not a product
                        judged_at.update((t, c) for t in owners)
                out += [
                    Evidence(t, pol, strong, m.first, m.last, _conf("cue", strong), c, not strong)
                    for t in sorted(owners)
                ]
        for m in ms:
            if m.role != "near":
                continue
            if _closer(m, ms):
                continue  # "sturdy box, the vase wrapped with care": sturdy is the box's
            where = _nearest(c, m.theme, named)
            if where is None or (m.theme, where) in excluded:
                continue  # no mention to judge, or the one it judges is excluded ("box crushed")
            pol, strong = judged(m.term.polarity, m.negated)
            out.append(Evidence(m.theme, pol, strong, m.first, m.last, _conf("near", strong), c, not strong))
            judged_at.add((m.theme, where))
    for c, ms in enumerate(by_clause):
        general = _general(ms) or _borrowed(c, by_clause, named)
        named_here = named[c] | {m.theme for m in ms if m.role == "cue"}
        for m in ms:
            if m.role not in ("topic", "object") or (m.theme, c) in judged_at:
                continue
            if m.negated:
                out.append(Evidence(m.theme, "complaint", True, m.first, m.last, CONFIDENCE["negated"], c))
            elif general and (m.role == "topic" or not named_here - {m.theme}):
                pol, strong, conceded = general
                out.append(
                    Evidence(m.theme, pol, strong, m.first, m.last, _conf("general", strong), c, conceded)
                )
            elif m.role == "topic":
                out.append(Evidence(m.theme, "neutral", False, m.first, m.last, CONFIDENCE["weak"], c))
    kept = []
    for e in out:
        if (e.theme, e.clause) in excluded:
            continue
        if (
            e.clause in claimed
            and not themes.get(e.theme, {}).get("claims_clause")
            and e.confidence < CONFIDENCE["cue"]
        ):
            continue  # "it would be nice to have express shipping" asks; it does not judge delivery
        kept.append(e)
    return kept


def _unjudged(codes: set[str], ms: list[Match]) -> set[str]:
    """The themes of ``codes`` with no judgement of their own among the clause's matches."""
    return codes - {m.theme for m in ms if m.role in ("cue", "near")}


def _names(m: Match, theme: dict) -> bool:
    """Whether a cue holds a word that names its own theme ("great quality")."""
    words = {w.strip("*=") for e in theme.get("topics", ()) for w in e.split()}
    return any(w.strip("*=") in words for w in m.term.entry.split())


def _closer(m: Match, ms: list[Match]) -> bool:
    """Whether the word ``m`` judges for its theme also judges another theme named nearer to it."""
    rivals = {
        o.theme
        for o in ms
        if o.role == "near" and o.theme != m.theme and (o.first, o.last) == (m.first, m.last)
    }
    if not rivals:
        return False

    def distance(theme: str) -> int:
        spans = [o for o in ms if o.theme == theme and o.role in ("topic", "object")]
        return min((max(o.first - m.last, m.first - o.last) for o in spans), default=10**6)

    own = distance(m.theme)
    return any(distance(t) < own for t in rivals)


def _conf(kind: str, strong: bool) -> float:
    return CONFIDENCE[kind if strong else "weak"]


def _nearest(c: int, theme: str, named: list[set]) -> int | None:
    if theme in named[c]:
        return c
    if named[c]:
        return None  # the clause names another theme: the qualifier is about that one
    for d in (c - 1, c + 1, c - 2, c + 2):
        if 0 <= d < len(named) and theme in named[d]:
            return d
    return None


def _general(ms: list[Match]) -> tuple[str, bool, bool] | None:
    """The clause's verdict from its polarity words: polarity, strong, and whether it is a concession."""
    verdicts = [(*judged(m.term.polarity, m.negated), m.negated) for m in ms if m.role == "general"]
    for pol in ("complaint", "praise"):
        found = [(strong, negated) for p, strong, negated in verdicts if p == pol]
        if found:
            strong = any(s for s, _ in found)
            conceded = pol == "praise" and any(n and not s for s, n in found)
            return pol, strong, conceded
    return None


def _borrowed(c: int, by_clause: list[list[Match]], named: list[set]) -> tuple[str, bool, bool] | None:
    # "the courier, so rude": a judgement standing alone in the next clause judges this one.
    for d in (c + 1, c - 1):
        if 0 <= d < len(by_clause) and not named[d]:
            verdict = _general(by_clause[d])
            if verdict:
                return verdict
    return None


def _combine(evidence: list[Evidence], tokens: Tokens, themes: dict[str, dict]) -> list[ThemeTag]:
    per: dict[str, list[Evidence]] = defaultdict(list)
    for e in evidence:
        per[e.theme].append(e)
    complained = {t for t, es in per.items() if any(e.strong and e.polarity == "complaint" for e in es)}
    tags = []
    for code, es in per.items():
        strong = [e for e in es if e.strong]
        conceded = any(e.concession for e in es)
        if (conceded or not strong) and complained - {code}:
            continue
        pool = strong or es
        fixed = themes.get(code, {}).get("polarity")
        for pol in ("complaint", "praise", "neutral"):
            chosen = [e for e in pool if e.polarity == pol]
            if chosen:
                break
        first = min(chosen, key=lambda e: e.first)
        tags.append(
            ThemeTag(
                code,
                fixed or pol,
                tokens.span(first.first, first.last),
                "rule",
                max(e.confidence for e in chosen),
            )
        )
    return sorted(tags, key=lambda t: (t.span or (0, 0))[0])


def tag(text: str, lang: str | None = None, *, rules=None, model=None) -> list[ThemeTag]:
    """The themes of a customer comment, each with its polarity; ``[]`` when none is found.

    Parameters
    ----------
    text : str
        The comment as the customer wrote it.
    lang : str, optional
        "en", "fa", "ar" or "ru" (a locale such as "fa-IR" is fine). ``None`` reads it from
        the script, and a comment whose language cannot be told gets ``[]``.
    rules : Rules or mapping of language to Rules, optional
        A rule set from :func:`load_rules` (with staff additions); the defaults otherwise.
        A single ``Rules`` also gives the language when ``lang`` is ``None``.
    model : ThemeModel, optional
        Adds the themes the model finds above its threshold that the rules missed, and drops
        a rule tag the model finds below its veto (a theme it has learned, read as absent).

    Returns
    -------
    list of ThemeTag
        In the order the themes appear in the text; model tags (no span) last. Only the
        first 20,000 characters of a longer text are read.

    Examples
    --------
    >>> [(t.code, t.polarity) for t in tag("the delivery was NOT late, but the box was crushed", "en")]
    [('packaging', 'complaint')]
    >>> [(t.code, t.polarity) for t in tag("fast delivery, thanks")]
    [('delivery', 'praise')]
    >>> tag("")
    []
    """
    if not isinstance(text, str):
        if text is None:
            return []
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    text = text[:MAX_CHARS]
    rule_set = _rules_for(text, lang, rules)
    if rule_set is None:
        return []
    matcher = rule_set.compiled()
    tokens = matcher.tokenize(text)
    tags, overall = analyse(tokens, matcher)
    if model is not None and tokens.items:
        kept, added = model.review(tokens, matcher, tags, polarity=overall)
        tags = kept + added
    return tags


def _rules_for(text: str, lang: str | None, rules):
    from analysis.themes.detect import detect_language
    from analysis.themes.normalize import base_language
    from analysis.themes.ruleset import Rules, available_languages, default_rules

    base = base_language(lang)
    if isinstance(rules, Rules):
        if base is not None and base != rules.lang:
            raise ValueError(f"rules are for {rules.lang!r}, the comment is in {base!r}")
        return rules
    if base is None:
        base = detect_language(text)
        if base is None:
            return None
    if rules is not None and base in rules:
        return rules[base]
    if base not in available_languages():
        raise ValueError(
            f"no theme rules for language {lang!r}; available: {', '.join(available_languages())}"
        )
    return default_rules(base)
