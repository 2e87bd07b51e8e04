"""Words of a normalised comment, with the stems and variant forms the rules are matched on.

Stems come from the Snowball stemmers (``snowballstemmer``, which ships them as Python code:
nothing is downloaded). A word can have more than one form: Persian verbs negated with a
``ن`` prefix are also looked up without it (and marked negated), Persian ``می`` verbs are
given to the stemmer with the non-joiner it expects, and Arabic words that begin with the
conjunction ``و`` or ``ف`` are also looked up without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from analysis.themes.normalize import ZWNJ, Normalized, normalized

STEMMERS = {"en": "english", "fa": "persian", "ar": "arabic", "ru": "russian"}
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
CLAUSE_MARKS = frozenset(".,;:!?،؛؟…\n()[]|—–•")
_STEM_CACHE_LIMIT = 200_000
MAX_WORD = 40


@dataclass(frozen=True)
class Form:
    text: str
    stems: frozenset[str]
    negated: bool = False


@dataclass(frozen=True)
class Token:
    start: int  # in the normalised text
    end: int
    clause: int
    forms: tuple[Form, ...]

    @property
    def text(self) -> str:
        return self.forms[0].text


@dataclass(frozen=True)
class Tokens:
    norm: Normalized
    items: tuple[Token, ...]
    clauses: int

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original-text span of tokens ``first`` to ``last`` inclusive."""
        return self.norm.span(self.items[first].start, self.items[last].end)


class Stemmer:
    """A cached Snowball stemmer for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._stemmer = snowballstemmer.stemmer(STEMMERS[lang])
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word)
            if len(self._cache) < _STEM_CACHE_LIMIT:
                self._cache[word] = stem
        return stem


@lru_cache(maxsize=8)
def stemmer(lang: str) -> Stemmer:
    return Stemmer(lang)


def forms(word: str, lang: str) -> tuple[Form, ...]:
    """The forms ``word`` is looked up as: itself first, then its variants."""
    return _forms(word, lang)


@lru_cache(maxsize=100_000)
def _forms(word: str, lang: str) -> tuple[Form, ...]:
    if len(word) > MAX_WORD:
        return (Form(word, frozenset()),)  # no word is this long: nothing to stem or split
    stem = stemmer(lang)
    out = [Form(word, frozenset(_stems(word, lang, stem)))]
    if lang == "fa" and len(word) >= 4 and word.startswith("ن"):
        rest = word[1:]
        out.append(Form(rest, frozenset(_stems(rest, lang, stem)), negated=True))
        if rest.startswith("ی") and rest[1:2] in ("ا", "و"):
            # "نیومد", "نیامد": the negative prefix takes a yeh before a verb that begins with alef.
            alef = "ا" + rest[1:] if rest[1] == "و" else rest[1:]
            out.append(Form(alef, frozenset(_stems(alef, lang, stem)), negated=True))
    elif lang == "ar":
        out += [Form(rest, frozenset(_stems(rest, lang, stem))) for rest in _arabic_proclitics(word)]
        if len(word) >= 5 and word.startswith("ما"):
            # Gulf and Levantine speech writes the negation onto the verb: "ماوصل", "مايشتغل".
            rest = word[2:]
            out.append(Form(rest, frozenset(_stems(rest, lang, stem)), negated=True))
    return tuple(out)


def _arabic_proclitics(word: str) -> list[str]:
    """``word`` without a leading conjunction, preposition or article ("والمندوب" -> "المندوب", "مندوب")."""
    out = []
    if len(word) >= 3 and word[0] in "وف":
        word = word[1:]
        out.append(word)
    for article in ("بال", "كال", "فال", "وال", "لل", "ال"):
        if word.startswith(article) and len(word) - len(article) >= 3:
            out.append(word[len(article) :])
            break
    return out


def _stems(word: str, lang: str, stem: Stemmer) -> set[str]:
    stems = {stem(word)}
    if lang == "fa" and word.startswith("می") and len(word) >= 4:
        # The Persian stemmer strips the verb prefix only when a non-joiner follows it.
        stems.add(stem("می" + ZWNJ + word[2:]))
    elif lang == "ar" and word.endswith("ه") and len(word) >= 3:
        # Normalising wrote taa marbuta as heh; the Arabic stemmer knows the suffix as taa marbuta.
        stems.add(stem(word[:-1] + "ة"))
    return stems


def tokenize(text: str, lang: str, splitters: frozenset[str] = frozenset()) -> Tokens:
    """Normalise ``text`` and cut it into words, numbering the clauses they fall in.

    A clause ends at punctuation and before any word in ``splitters`` ("but", "ولی", "но").
    """
    norm = normalized(text, lang)
    s = norm.text
    items = []
    clause = 0
    last_end = 0
    for m in WORD.finditer(s):
        word = m.group()
        if items and (any(ch in CLAUSE_MARKS for ch in s[last_end : m.start()]) or word in splitters):
            clause += 1
        elif not items and word in splitters:
            clause = 0
        items.append(Token(m.start(), m.end(), clause, forms(word, lang)))
        last_end = m.end()
    return Tokens(norm, tuple(items), clause + 1 if items else 0)
