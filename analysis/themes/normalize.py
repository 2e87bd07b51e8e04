"""Text normalisation for matching and search: one spelling for the many ways a word is typed.

Every language gets Unicode NFKC and case folding. Persian and Arabic also fold the letter
variants that keyboards and habits mix (Arabic against Persian yeh and kaf, the alef and
hamza forms, taa marbuta), drop tatweel and diacritics, join what a zero-width non-joiner
joins (whether the writer typed it, a space or nothing), and read Persian and Arabic-Indic
digits as ASCII. Russian folds ё into е.

The normalised text keeps, for every character, the position it came from, so a match in
the normalised text is reported as a span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("en", "fa", "ar", "ru")

_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_DIACRITICS = {chr(c) for c in (*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE))}
_INVISIBLE = {"\u200b", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u061c"}
_INVISIBLE |= {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
ZWNJ = "\u200c"
_BREAKS = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp"})  # control and unassigned code points

_ARABIC_SCRIPT_COMMON = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ة": "ه",
    "ۀ": "ه",
    "ۂ": "ه",
    "ھ": "ه",
    "ە": "ه",
    "ء": "",
    "\u0640": "",  # tatweel stretches a word for looks only
}
_PERSIAN = _ARABIC_SCRIPT_COMMON | {"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ٯ": "ق"}
_ARABIC = _ARABIC_SCRIPT_COMMON | {"ی": "ي", "ى": "ي", "ئ": "ي", "ک": "ك", "ڪ": "ك"}
_LETTERS = {"fa": _PERSIAN, "ar": _ARABIC, "ru": {"ё": "е"}, "en": {}}

_QUOTES = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"}

# Persian writes verb prefixes and plural or comparative suffixes apart, joined or with a
# zero-width non-joiner; all three become the joined spelling.
_FA_PREFIX_GAP = re.compile(r"(?<!\w)(?:ن?می|بی) (?=\w)")
_FA_SUFFIX_GAP = re.compile(r"(?<=\w) (?=(?:ها|های|هایی|هایم|هایت|هایش|هامون|هاتون|هاشون|تر|ترین)(?!\w))")
_SPACES = re.compile(r"\s+")
_UNEVEN_SPACE = re.compile(r"^\s|\s$|\s\s|[^\S ]")


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, where that character was in ``original``."""

    original: str
    text: str
    index: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normalised characters ``start:end`` came from."""
        if not self.index:
            return (0, 0)
        if end <= start:
            at = self.index[start] if start < len(self.index) else len(self.original)
            return (at, at)
        return (self.index[start], self.index[min(end, len(self.index)) - 1] + 1)


def base_language(lang: str | None) -> str | None:
    """ "fa-IR", "FA" and "fa_IR" all mean "fa"; ``None`` and "" stay ``None``."""
    if not lang:
        return None
    return lang.replace("_", "-").split("-")[0].strip().lower() or None


def normalize(text: str, lang: str | None) -> str:
    """The spelling that theme rules match and that search should compare, for ``lang``.

    Unknown or missing languages get the folding every language gets (NFKC, case folding,
    invisible marks removed, digits as ASCII, runs of space as one space).

    Examples
    --------
    >>> normalize("می خواستم", "fa") == normalize("می\u200cخواستم", "fa") == normalize("میخواستم", "fa")
    True
    >>> normalize("كيفيت عالي", "fa") == normalize("کیفیت عالی", "fa")
    True
    >>> normalize("التَّوصيل سريع ٣ أيام", "ar")
    'التوصيل سريع 3 ايام'
    >>> normalize("Ещё РАЗ", "ru")
    'еще раз'
    """
    return normalized(text, lang).text


def normalized(text: str, lang: str | None) -> Normalized:
    """:func:`normalize` with the position map back to the original text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    base = base_language(lang)
    fold = _folder(base if base in _LETTERS else "")
    chars: list[str] = []
    index: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        while j < n and _is_mark(text[j]):
            j += 1
        piece = fold(text[i:j])
        chars.extend(piece)
        index.extend([i] * len(piece))
        i = j
    joined = "".join(chars)
    if base == "fa" and " " in joined:
        joined, index = _delete(joined, index, _FA_PREFIX_GAP, _FA_SUFFIX_GAP)
    return _squeeze(text, joined, index)


def _delete(text: str, index: list[int], *patterns: re.Pattern[str]) -> tuple[str, list[int]]:
    drop = {m.end() - 1 for p in patterns for m in p.finditer(text)}  # each match ends on its space
    if not drop:
        return text, index
    keep = [k for k in range(len(text)) if k not in drop]
    return "".join(text[k] for k in keep), [index[k] for k in keep]


def _squeeze(original: str, text: str, index: list[int]) -> Normalized:
    if not _UNEVEN_SPACE.search(text):
        return Normalized(original, text, tuple(index))
    out: list[str] = []
    out_index: list[int] = []
    last = 0
    for m in _SPACES.finditer(text):
        out.append(text[last : m.start()])
        out_index.extend(index[last : m.start()])
        if m.start() > 0 and m.end() < len(text):
            out.append(" ")
            out_index.append(index[m.start()])
        last = m.end()
    out.append(text[last:])
    out_index.extend(index[last:])
    return Normalized(original, "".join(out), tuple(out_index))


_MARKS: dict[str, bool] = {}


def _is_mark(char: str) -> bool:
    mark = _MARKS.get(char)
    if mark is None:
        mark = _MARKS[char] = unicodedata.combining(char) != 0 or char in _DIACRITICS
    return mark


_FOLDERS: dict[str, object] = {}


def _folder(lang: str):
    folder = _FOLDERS.get(lang)
    if folder is None:
        folder = _FOLDERS[lang] = _make_folder(lang)
    return folder


def _make_folder(lang: str):
    letters = _LETTERS.get(lang, {})
    cache: dict[str, str] = {}

    def fold(piece: str) -> str:
        out = cache.get(piece)
        if out is not None:
            return out
        folded = unicodedata.normalize("NFKC", piece).casefold()
        chars = []
        for ch in folded:
            if ch in _DIACRITICS or ch in _INVISIBLE or ch == ZWNJ:
                continue  # a ZWNJ is the writer's choice of joining, which matching must not see
            ch = _DIGITS.get(ch, ch)
            ch = _QUOTES.get(ch, ch)
            ch = letters.get(ch, ch)
            if not ch or unicodedata.combining(ch):
                continue  # a mark that composed with nothing (é has already become one letter)
            chars.append(" " if unicodedata.category(ch) in _BREAKS else ch)
        out = "".join(chars)
        if len(cache) < 50_000:
            cache[piece] = out
        return out

    return fold
