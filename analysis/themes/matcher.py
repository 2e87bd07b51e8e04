"""Compiled rules: every entry of a rule set as a term, indexed by its first word for speed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from analysis.themes.normalize import normalize
from analysis.themes.tokens import WORD, Token, Tokens, stemmer, tokenize

# The roles an entry can play, and the rule-file lists they come from.
THEME_ROLES = {
    "topics": ("topic", None),
    "objects": ("object", None),
    "complaint": ("cue", "complaint"),
    "praise": ("cue", "praise"),
    "neutral": ("cue", "neutral"),
    "complaint_near": ("near", "complaint"),
    "praise_near": ("near", "praise"),
    "exclude": ("exclude", None),
}
GENERAL_ROLES = {"complaint": "complaint", "praise": "praise", "weak_praise": "weak_praise"}


@dataclass(frozen=True)
class Alt:
    kind: str  # "word", "exact", "prefix", "suffix" or "number"
    text: str
    stem: str = ""
    # Whether a word with the same stem may match: the Persian and Arabic stemmers cut some
    # words to another word ("کیفیت", quality, to "کیف", bag; "عملي", practical, to "عمل",
    # work), so there an entry that is not its own stem only finds words that begin with it.
    loose: bool = True


@dataclass(frozen=True)
class Term:
    words: tuple[tuple[Alt, ...], ...]
    theme: str | None
    role: str
    polarity: str | None
    entry: str


@dataclass
class Match:
    term: Term
    first: int  # token indices, inclusive
    last: int
    clause: int
    negated: bool = False
    prefix_negated: bool = False  # negated by the word's own prefix (Persian "نرسید")
    positions: tuple[int, ...] = ()  # the tokens the entry's words matched, gaps left out

    @property
    def theme(self) -> str | None:
        return self.term.theme

    @property
    def role(self) -> str:
        return self.term.role


class Matcher:
    """Finds every entry of a rule set in a comment's tokens."""

    def __init__(self, rules) -> None:
        data = rules.data
        self.lang = rules.lang
        self.gap = int(data.get("gap", 2))
        self.window = int(data.get("window", 3))
        self.stem = stemmer(self.lang)
        self.numbers = frozenset(normalize(w, self.lang) for w in data.get("numbers", {}).get("words", ()))
        self.splitters = frozenset(normalize(w, self.lang) for w in data.get("clauses", {}).get("split", ()))
        self.themes: dict[str, dict] = {code: dict(theme) for code, theme in data.get("themes", {}).items()}
        terms: list[Term] = []
        for key, entries in data.get("negation", {}).items():
            terms += [self._term(e, None, f"negate_{key}", None) for e in entries]
        for key, entries in data.get("polarity", {}).items():
            terms += [self._term(e, None, "general", GENERAL_ROLES[key]) for e in entries]
        for code, theme in self.themes.items():
            for key, (role, polarity) in THEME_ROLES.items():
                terms += [self._term(e, code, role, polarity) for e in theme.get(key, ())]
        if self.lang == "fa":
            # A phrase in the rules also matches its words written as one ("بسته بندی", "بسته‌بندی").
            terms += [self._joined(t) for t in terms if len(t.words) > 1 and _joinable(t)]
        self.terms = tuple(t for t in terms if t.words)
        self._by_key: dict[str, list[Term]] = defaultdict(list)
        self._by_prefix: dict[str, list[Term]] = defaultdict(list)
        self._by_suffix: list[tuple[str, Term]] = []
        self._numbered: list[Term] = []
        for term in self.terms:
            for alt in term.words[0]:
                if alt.kind == "word":
                    self._by_key["s:" + alt.stem].append(term)
                    self._by_key["e:" + alt.text].append(term)
                elif alt.kind == "exact":
                    self._by_key["e:" + alt.text].append(term)
                elif alt.kind == "prefix":
                    self._by_prefix[alt.text].append(term)
                elif alt.kind == "suffix":
                    self._by_suffix.append((alt.text, term))
                else:
                    self._numbered.append(term)
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        self._start_cache: dict[str, list[tuple[Term, bool]]] = {}

    def tokenize(self, text: str) -> Tokens:
        return tokenize(text, self.lang, self.splitters)

    def _term(self, entry: str, theme: str | None, role: str, polarity: str | None) -> Term:
        words = []
        for raw in entry.split():
            if raw == "*":
                continue  # "پول * برگردوند": a reminder that other words may stand between (see gap)
            alts = tuple(a for part in raw.split("|") if (a := self._alt(part)) is not None)
            if alts:
                words.append(alts)
        return Term(tuple(words), theme, role, polarity, entry)

    def _alt(self, part: str) -> Alt | None:
        if part == "#":
            return Alt("number", "#")
        kind = "word"
        if part.startswith("="):
            kind, part = "exact", part[1:]
        elif part.endswith("*") and len(part) > 1:
            kind, part = "prefix", part[:-1]
        elif part.startswith("*") and len(part) > 1:
            kind, part = "suffix", part[1:]
        text = normalize(part, self.lang).replace(" ", "")
        if not text:
            return None
        return self._word_alt(kind, text)

    def _word_alt(self, kind: str, text: str) -> Alt:
        if kind != "word":
            return Alt(kind, text)
        stem = self.stem(text)
        return Alt(kind, text, stem, self.lang not in ("fa", "ar") or stem == text)

    def _joined(self, term: Term) -> Term:
        text = "".join(w[0].text for w in term.words)
        last = term.words[-1][0].kind
        alt = self._word_alt("prefix" if last == "prefix" else "word", text)
        return Term(((alt,),), term.theme, term.role, term.polarity, term.entry)

    def find(self, tokens: Tokens) -> list[Match]:
        """Every term found, each at the first place its words follow one another closely enough."""
        items = tokens.items
        found: list[Match] = []
        for i, token in enumerate(items):
            for term, negated in self._starting(token):
                at = self._rest(term, items, i)
                if at is not None:
                    found.append(Match(term, i, at[-1], token.clause, negated, negated, at))
        if self.lang == "fa":
            found += self._joined_pairs(items)
        return found

    def _starting(self, token: Token) -> list[tuple[Term, bool]]:
        # What starts at a word depends on the word alone, so it is worked out once per word.
        cached = self._start_cache.get(token.text)
        if cached is None:
            cached = list(self._starting_uncached(token))
            if len(self._start_cache) < 100_000:
                self._start_cache[token.text] = cached
        return cached

    def _starting_uncached(self, token: Token):
        seen: set[int] = set()
        for form in token.forms:
            keys = ["e:" + form.text] + ["s:" + s for s in form.stems]
            candidates: list[Term] = []
            for key in keys:
                candidates += self._by_key.get(key, ())
            text = form.text
            for length in self._prefix_lengths:
                if length > len(text):
                    break
                candidates += self._by_prefix.get(text[:length], ())
            candidates += [t for suffix, t in self._by_suffix if text.endswith(suffix)]
            if self._numbered and (text.isdigit() or text in self.numbers):
                candidates += self._numbered
            for term in candidates:
                if id(term) not in seen and any(self._alt_fits(a, form) for a in term.words[0]):
                    seen.add(id(term))
                    yield term, form.negated

    def _rest(self, term: Term, items: tuple[Token, ...], first: int) -> tuple[int, ...] | None:
        at = [first]
        clause = items[first].clause
        for word in term.words[1:]:
            for j in range(at[-1] + 1, min(at[-1] + 2 + self.gap, len(items))):
                if items[j].clause != clause:
                    return None
                if self.fits(word, items[j]):
                    at.append(j)
                    break
            else:
                return None
        return tuple(at)

    def fits(self, word: tuple[Alt, ...], token: Token) -> bool:
        return any(self._alt_fits(alt, form) for form in token.forms if not form.negated for alt in word)

    def _alt_fits(self, alt: Alt, form) -> bool:
        text = form.text
        if alt.kind == "word":
            if text == alt.text:
                return True
            return alt.stem in form.stems and (alt.loose or text.startswith(alt.text))
        if alt.kind == "exact":
            return text == alt.text
        if alt.kind == "prefix":
            # A word read without its negative prefix only takes beginnings long enough to be
            # a verb's ("رسید*"), so that "نصف" (half) does not become "صف" (queue).
            return text.startswith(alt.text) and (not form.negated or len(alt.text) >= 3)
        if alt.kind == "suffix":
            return text.endswith(alt.text) and not form.negated
        return text.isdigit() or text in self.numbers

    def _joined_pairs(self, items: tuple[Token, ...]) -> list[Match]:
        out = []
        for i in range(len(items) - 1):
            a, b = items[i], items[i + 1]
            if a.clause != b.clause or b.start - a.end > 1:
                continue
            pair = _pair_forms(a.text + b.text, self.lang)
            if not pair:
                continue
            joined = Token(a.start, b.end, a.clause, pair)
            for term, negated in self._starting(joined):
                # Only entries that reach well into the second word: "باگ*" must not find "با گوشی".
                if len(term.words) == 1 and all(len(alt.text) >= len(a.text) + 2 for alt in term.words[0]):
                    out.append(Match(term, i, i + 1, a.clause, negated, negated, (i, i + 1)))
        return out


def _joinable(term: Term) -> bool:
    return (
        all(len(w) == 1 and w[0].kind in ("word", "exact") for w in term.words[:-1])
        and len(term.words[-1]) == 1
    )


def _pair_forms(text: str, lang: str):
    from analysis.themes.tokens import forms

    return forms(text, lang) if WORD.fullmatch(text) else ()
