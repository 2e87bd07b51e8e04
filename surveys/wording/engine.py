"""The rule engine: per-language rules come from data files in rules/, the logic is shared.

Text is normalised (case, letter variants, digits, diacritics, invisible marks) before
matching, and every match is mapped back to a span in the original text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from surveys.messages import Message, percent_style
from surveys.wording.findings import DEFAULT_SEVERITY, Finding

WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")
FIXES = ("remove", "remove_sentence")
# A quoted word or two is an answer option being named ("choose «Never»"), not wording to judge.
QUOTED_RE = re.compile(r"«[^»]{1,40}»|“[^”]{1,40}”|„[^“”]{1,40}[“”]|\"[^\"]{1,40}\"|‘[^’]{1,40}’")
QUOTED_MAX_WORDS = 3
SENTENCE_GAP = re.compile(r"(?<=[.!?؟;؛…])\s+")
DASH_GAP = re.compile(r"\s+[—–-]\s+")
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    index: tuple[int, ...]  # position in ``text`` -> position in ``original``

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return (self.index[start] if start < len(self.index) else len(self.original),) * 2
        return self.index[start], self.index[end - 1] + 1


@dataclass(frozen=True)
class Rule:
    code: str
    regex: re.Pattern[str]
    message: str
    severity: str
    advice: str | None = None
    rewrite: tuple[re.Pattern[str], str] | None = None
    fix: str | None = None


@dataclass(frozen=True)
class Conjunctions:
    words: tuple[str, ...]
    attached: re.Pattern[str] | None
    fixed: tuple[re.Pattern[str], ...]
    antonym_prefixes: tuple[str, ...]
    balanced_pairs: frozenset[frozenset[str]]
    negations: frozenset[str]
    range_words: frozenset[str]
    message: str
    advice: str | None = None
    context: re.Pattern[str] | None = None
    edges: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    charged_pairs: str = "never"  # "always", "agreeing" or "never": see conjunctions._describes_one_thing
    pair_stems: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Acronyms:
    allow: frozenset[str]
    message: str
    advice: str | None = None


@dataclass(frozen=True)
class RuleSet:
    lang: str
    name: str
    max_words: int
    normalize: dict
    rules: tuple[Rule, ...]
    exempt: dict[str, re.Pattern[str]]
    conjunctions: Conjunctions
    scale: dict[str, tuple[str, ...]]
    balanced_example: str
    messages: dict[str, str] = field(default_factory=dict)
    acronyms: Acronyms | None = None
    question_mark: str = "?"


def available_languages() -> list[str]:
    folder = resources.files("surveys.wording") / "rules"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def ruleset(lang: str) -> RuleSet:
    """Load and compile the rules for ``lang`` ("fa", "fa-IR" and "FA" all mean Persian)."""
    base = (lang or "").split("-")[0].split("_")[0].lower()
    if base not in available_languages():
        raise ValueError(
            f"no wording rules for language {lang!r}; available: {', '.join(available_languages())}"
        )
    raw = tomllib.loads((resources.files("surveys.wording") / "rules" / f"{base}.toml").read_text("utf-8"))
    return _compile(base, raw)


def _compile(lang: str, raw: dict) -> RuleSet:
    prefix, suffix = raw.get("word_prefix", ""), raw.get("word_suffix", "")
    norm_cfg = raw.get("normalize", {})
    rules = []
    for item in raw.get("pattern", []):
        rules.append(_rule(item, item["regex"], norm_cfg))
    for item in raw.get("lexicon", []):
        words = "|".join(_norm_pattern(w, norm_cfg) for w in item["words"])
        pre = item.get("prefix", prefix)
        suf = item.get("suffix", suffix)
        rules.append(_rule(item, rf"(?<!\w){pre}(?:{words}){suf}(?!\w)", norm_cfg, raw_pattern=True))
    conj = raw["conjunctions"]

    def plain(key: str) -> frozenset[str]:
        return frozenset(_normalize_plain(w, norm_cfg) for w in conj.get(key, []))

    context = "|".join(_norm_pattern(p, norm_cfg) for p in conj.get("context", []))
    conjunctions = Conjunctions(
        words=tuple(_normalize_plain(w, norm_cfg) for w in conj["words"]),
        attached=re.compile(_norm_pattern(conj["attached"], norm_cfg)) if conj.get("attached") else None,
        fixed=tuple(re.compile(_norm_pattern(f, norm_cfg)) for f in conj.get("fixed", [])),
        antonym_prefixes=tuple(_normalize_plain(p, norm_cfg) for p in conj.get("antonym_prefixes", [])),
        balanced_pairs=frozenset(
            frozenset(_normalize_plain(w, norm_cfg) for w in pair) for pair in conj.get("balanced_pairs", [])
        ),
        negations=plain("negations"),
        range_words=plain("range_words"),
        message=percent_style(conj["message"]),
        advice=conj.get("advice"),
        context=re.compile(context) if context else None,
        edges=plain("edges"),
        determiners=plain("determiners"),
        charged_pairs=conj.get("charged_pairs", "never"),
        pair_stems=tuple(
            (_stem(_normalize_plain(a, norm_cfg)), _stem(_normalize_plain(b, norm_cfg)))
            for a, b in (pair for pair in conj.get("balanced_pairs", []) if len(pair) == 2)
        )
        if conj.get("pair_stems")
        else (),
    )
    scale = {
        k: tuple(_normalize_plain(w, norm_cfg) for w in raw["scale"].get(k, []))
        for k in ("positive", "negative", "neutral")
    }
    exempt = {
        code: re.compile("|".join(_norm_pattern(p, norm_cfg) for p in pats))
        for code, pats in raw.get("exempt", {}).items()
        if pats
    }
    acr = raw.get("acronyms")
    acronyms = None
    if acr:
        allow = frozenset(w.upper() for w in acr.get("allow", []))
        acronyms = Acronyms(allow, percent_style(acr["message"]), acr.get("advice"))
    return RuleSet(
        lang=lang,
        name=raw["language"],
        max_words=int(raw.get("max_words", 25)),
        normalize=norm_cfg,
        rules=tuple(rules),
        exempt=exempt,
        conjunctions=conjunctions,
        scale=scale,
        balanced_example=raw["scale"]["balanced_example"],
        messages=raw.get("messages", {}),
        acronyms=acronyms,
        question_mark=raw.get("question_mark", "?"),
    )


def _stem(word: str) -> str:
    # Drop the ending so every case and gender of the word shares the stem ("шумный", "шумным").
    return word if len(word) <= 3 else word[:-1] if len(word) <= 5 else word[:-2]


def _rule(item: dict, pattern: str, norm_cfg: dict, raw_pattern: bool = False) -> Rule:
    code = item["code"]
    if code not in DEFAULT_SEVERITY:
        raise ValueError(f"unknown finding code {code!r} in wording rules")
    fix = item.get("fix")
    if fix is not None and fix not in FIXES:
        raise ValueError(f"unknown fix {fix!r} in wording rules; use one of {', '.join(FIXES)}")
    rewrite = None
    if "rewrite" in item:
        rewrite = (re.compile(item["rewrite"][0], re.IGNORECASE), item["rewrite"][1])
    return Rule(
        code=code,
        regex=re.compile(pattern if raw_pattern else _norm_pattern(pattern, norm_cfg)),
        message=percent_style(item["message"]),
        severity=item.get("severity", DEFAULT_SEVERITY[code]),
        advice=item.get("advice"),
        rewrite=rewrite,
        fix=fix,
    )


def _normalize_plain(text: str, cfg: dict) -> str:
    return normalize(text, cfg).text


def _norm_pattern(pattern: str, cfg: dict) -> str:
    # Patterns are written in ordinary spelling; only letter variants are folded, so regex syntax survives.
    out = pattern
    for src, dst in cfg.get("replace", {}).items():
        out = out.replace(src, dst)
    strip = cfg.get("strip")
    if strip:
        out = re.sub(f"[{strip}]", "", out)
    if cfg.get("flexible_spaces"):
        # Persian writes one word as "می‌کنید", "می کنید" or "میکنید": a space in a pattern may be absent.
        out = re.sub(r" (?![?*+{])", r"\\s?", out)
    return out  # rule files write patterns in lower case; lowering here would turn \S into \s


def normalize(text: str, cfg: dict) -> Normalized:
    """Fold case, letter variants and digits and drop diacritics, remembering where each character was."""
    text = unicodedata.normalize("NFC", text)
    strip = re.compile(f"[{cfg['strip']}]") if cfg.get("strip") else None
    replace = cfg.get("replace", {})
    lower = cfg.get("lowercase", False)
    chars, index = [], []
    for pos, ch in enumerate(text):
        if strip is not None and strip.match(ch):
            continue
        ch = replace.get(ch, ch)
        if lower:
            ch = ch.lower() if len(ch.lower()) == 1 else ch
        if ch.isdecimal() and not ch.isascii():
            ch = str(unicodedata.decimal(ch))  # "۱۰" and "١٠" are written 10 in the rules
        chars.append(ch)
        index.append(pos)
    return Normalized(text, "".join(chars), tuple(index))


def run_rules(rs: RuleSet, n: Normalized) -> list[Finding]:
    out = []
    quoted = _quoted_labels(n.original)
    for rule in rs.rules:
        exempt = rs.exempt.get(rule.code)
        if exempt is not None and exempt.search(n.text):
            continue
        for m in rule.regex.finditer(n.text):
            if m.end() <= m.start():
                continue
            span = n.span(m.start(), m.end())
            if any(q[0] <= span[0] and span[1] <= q[1] for q in quoted):
                continue
            matched = n.original[span[0] : span[1]].strip()
            message = Message.joined(Message(rule.message, match=matched), rule.advice or "")
            out.append(Finding(rule.code, rule.severity, message, span, _suggest(rs, rule, n.original, span)))
    return out + acronyms(rs, n.original)


def acronyms(rs: RuleSet, original: str) -> list[Finding]:
    """Unfamiliar capital-letter abbreviations (FCR, KYC, eSIM): company language in any script."""
    acr = rs.acronyms
    if acr is None:
        return []
    latin = [c for c in original if c.isascii() and c.isalpha()]
    if len(latin) > 12 and sum(c.isupper() for c in latin) > 0.6 * len(latin):
        return []  # a shouted sentence, not abbreviations
    out = []
    for m in LATIN_WORD.finditer(original):
        word = m.group(0)
        caps = sum(c.isupper() for c in word)
        letters = sum(c.isalpha() for c in word)
        if caps < 2 or 2 * caps < letters or len(word) > 8:
            continue
        key = word.upper()
        if key in acr.allow or (key.endswith("S") and key[:-1] in acr.allow):
            continue
        message = Message.joined(Message(acr.message, match=word), acr.advice or "")
        out.append(Finding("jargon", DEFAULT_SEVERITY["jargon"], message, (m.start(), m.end())))
    return out


def _quoted_labels(original: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in QUOTED_RE.finditer(original)
        if len(WORD_RE.findall(m.group(0))) <= QUOTED_MAX_WORDS
    ]


def _suggest(rs: RuleSet, rule: Rule, original: str, span: tuple[int, int]) -> str | None:
    if rule.rewrite is not None:
        pattern, replacement = rule.rewrite
        if pattern.search(original):
            return tidy(pattern.sub(replacement, original, count=1))
    if rule.fix == "remove":
        end = span[1]
        after = re.match(r"\s*(\w+)(?=\s)", original[end:])
        if after and normalize(after.group(1), rs.normalize).text in rs.conjunctions.words:
            end += after.end()  # "our amazing and friendly staff" loses "amazing and", not just "amazing"
        return tidy(original[: span[0]] + original[end:])
    if rule.fix == "remove_sentence":
        return drop_sentence(original, span)
    return None


def drop_sentence(original: str, span: tuple[int, int]) -> str | None:
    """The text without the sentence holding ``span``: what others think, said before the real question."""
    text = original.strip()
    pos = span[0] - (len(original) - len(original.lstrip()))
    for gap in (SENTENCE_GAP, DASH_GAP):
        cuts = list(gap.finditer(text))
        if not cuts:
            continue
        starts = [0] + [m.end() for m in cuts]
        for i, start in enumerate(starts):
            following = starts[i + 1] if i + 1 < len(starts) else len(text) + 1
            if start <= pos < following:
                rest = text[:start] + text[following:] if i + 1 < len(starts) else text[: cuts[i - 1].start()]
                return tidy(rest) if len(WORD_RE.findall(rest)) >= 2 else None
    end = span[1] - (len(original) - len(original.lstrip()))
    comma = re.search(r"[,،]\s+", text[end:])
    if pos == 0 and comma:
        # One sentence that opens with the others ("Like most of our members, did you …"): drop that clause.
        rest = text[end + comma.end() :]
        return tidy(rest) if len(WORD_RE.findall(rest)) >= 2 else None
    return None


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([?.,!؟،:;])", r"\1", text)
    text = re.sub(r"([,،])\s*([?؟])", r"\2", text)
    return text[:1].upper() + text[1:] if text else text
