"""A theme model learned from labelled comments (the seed set plus staff corrections).

Per language: TF-IDF over stems and stem pairs and over character n-grams, and one logistic
regression per theme (one-vs-rest), trained with scikit-learn. The trained weights are kept as
plain numbers, so a model is saved as JSON (no pickle, nothing downloaded) and predicts in
plain Python fast enough to run on every comment.

>>> examples = [("the courier was late", "en", {"delivery"}), ("rude cashier", "en", {"staff"}),
...             ("parcel came late again", "en", {"delivery"}), ("staff were rude", "en", {"staff"})]
>>> model = train(examples, threshold=0.5)
>>> sorted(model.predict("late courier", "en"), key=lambda kv: -kv[1])[0][0]
'delivery'
>>> ThemeModel.from_json(model.to_json()) == model
True
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from analysis.themes.catalogue import THEMES
from analysis.themes.features import char_features, char_features_of, word_features
from analysis.themes.normalize import base_language
from analysis.themes.result import ThemeTag

FORMAT = "candor-theme-model"
VERSION = 1
DEFAULT_THRESHOLD = 0.7
# A rule tag the model gives less than this is dropped: the rules match words, the model has
# read whole labelled comments. Both values were chosen on a development set written apart from
# the rules (analysis/themes/seed/dev_fresh.jsonl, scored with a model trained on the other seed
# files): precision rose from 0.79-0.84 to 0.88-0.89 per language, recall fell by at most 0.03.
DEFAULT_VETO = 0.25


@dataclass(frozen=True)
class Block:
    """One TF-IDF vocabulary: feature -> (column, idf)."""

    vocabulary: Mapping[str, tuple[int, float]]

    def __post_init__(self) -> None:
        idf = [0.0] * len(self.vocabulary)
        for column, weight in self.vocabulary.values():
            idf[column] = weight
        object.__setattr__(self, "_idf", idf)
        object.__setattr__(self, "_column", {f: c for f, (c, _) in self.vocabulary.items()})

    def columns(self, features: Iterable[str]) -> list[int]:
        column = self._column
        return [column[f] for f in features if f in column]

    def vector(self, features: Iterable[str]) -> dict[int, float]:
        return self.weigh(Counter(self.columns(features)))

    def weigh(self, counts: Mapping[int, int]) -> dict[int, float]:
        """Sublinear TF-IDF, L2-normalised, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``."""
        idf = self._idf
        weights = {c: idf[c] * (1.0 + math.log(n)) if n > 1 else idf[c] for c, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {c: w / norm for c, w in weights.items()} if norm else {}


@dataclass(frozen=True)
class LanguageModel:
    lang: str
    words: Block
    chars: Block
    codes: tuple[str, ...]
    coefficients: tuple[Mapping[int, float], ...]  # per code: column -> weight (zeros left out)
    intercepts: tuple[float, ...]
    examples: int = 0

    def __post_init__(self) -> None:
        import numpy as np

        # The weights as one dense (feature x theme) array, so a comment costs one small product.
        width = len(self.words.vocabulary) + len(self.chars.vocabulary)
        weights = np.zeros((width + 1, len(self.codes)))
        for k, coef in enumerate(self.coefficients):
            for column, w in coef.items():
                weights[column, k] = w
        object.__setattr__(self, "_weights", weights)
        object.__setattr__(self, "_bias", np.asarray(self.intercepts, dtype=float))
        object.__setattr__(self, "_grams", {})

    def _char_counts(self, tokens) -> Counter:
        # A word's known n-grams are the same every time it is seen, so they are kept per word.
        cache = self._grams
        counts: Counter = Counter()
        for token in tokens.items:
            grams = cache.get(token.text)
            if grams is None:
                grams = tuple(self.chars.columns(char_features_of(token.text)))
                if len(cache) < 100_000:
                    cache[token.text] = grams
            counts.update(grams)
        return counts

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LanguageModel):
            return NotImplemented
        return _language_dict(self) == _language_dict(other) and self.lang == other.lang

    __hash__ = None  # type: ignore[assignment]

    def probabilities(self, tokens) -> dict[str, float]:
        import numpy as np

        if not self.codes:
            return {}
        x = self.words.vector(word_features(tokens))
        offset = len(self.words.vocabulary)
        x.update({offset + c: w for c, w in self.chars.weigh(self._char_counts(tokens)).items()})
        z = self._bias.copy()
        if x:
            columns = np.fromiter(x.keys(), dtype=np.intp, count=len(x))
            values = np.fromiter(x.values(), dtype=float, count=len(x))
            z += values @ self._weights[columns]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
        return dict(zip(self.codes, p.tolist(), strict=True))


@dataclass(frozen=True)
class ThemeModel:
    """Per-language theme classifiers; tags above ``threshold`` join the rule tags in :func:`tag`,
    and a rule tag of a theme the model knows is kept only at ``veto`` or above."""

    languages: Mapping[str, LanguageModel]
    threshold: float = DEFAULT_THRESHOLD
    details: Mapping[str, Any] = field(default_factory=dict)
    veto: float = DEFAULT_VETO

    def __post_init__(self) -> None:
        if not 0 < self.threshold < 1:
            raise ValueError(f"threshold must be between 0 and 1, got {self.threshold!r}")
        if not 0 <= self.veto < self.threshold:
            raise ValueError(f"veto must be from 0 up to the threshold, got {self.veto!r}")
        object.__setattr__(self, "languages", MappingProxyType(dict(self.languages)))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    def predict(self, text: str, lang: str) -> list[tuple[str, float]]:
        """Every theme the model knows for ``lang`` with its probability for ``text``."""
        base = base_language(lang)
        model = self.languages.get(base or "")
        if model is None or not isinstance(text, str):
            return []
        from analysis.themes.ruleset import default_rules

        tokens = default_rules(base).compiled().tokenize(text)
        return list(model.probabilities(tokens).items()) if tokens.items else []

    def tags(
        self, tokens, matcher, exclude: Iterable[str] = (), polarity: str | None = None
    ) -> list[ThemeTag]:
        """Model tags for an already tokenised comment, leaving out the codes in ``exclude``.

        A tag's polarity is the theme's fixed one, else ``polarity`` (the comment's overall
        judgement, worked out from the rules' polarity words when not given).
        """
        return self.review(tokens, matcher, (), polarity, skip=exclude)[1]

    def review(
        self, tokens, matcher, rule_tags: Sequence[ThemeTag], polarity: str | None = None, *, skip=()
    ) -> tuple[list[ThemeTag], list[ThemeTag]]:
        """The rule tags the model does not veto, and the model's own tags for the other themes."""
        model = self.languages.get(matcher.lang)
        if model is None:
            return list(rule_tags), []
        probabilities = model.probabilities(tokens)
        kept = [t for t in rule_tags if probabilities.get(t.code, 1.0) >= self.veto]
        taken = {t.code for t in rule_tags} | set(skip)
        found = [(c, p) for c, p in probabilities.items() if p >= self.threshold and c not in taken]
        if not found:
            return kept, []
        from analysis.themes.tagger import comment_polarity

        overall = polarity or comment_polarity(tokens, matcher)
        out = []
        for code, p in sorted(found, key=lambda cp: -cp[1]):
            fixed = matcher.themes.get(code, {}).get("polarity") or overall
            out.append(ThemeTag(code, fixed, None, "model", round(min(max(p, 0.0), 1.0), 4)))
        return kept, out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "threshold": self.threshold,
            "veto": self.veto,
            "details": dict(self.details),
            "languages": {lang: _language_dict(m) for lang, m in self.languages.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThemeModel:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} version {VERSION} model")
        languages = {lang: _language_from(lang, d) for lang, d in data["languages"].items()}
        veto = float(data.get("veto", DEFAULT_VETO))
        return cls(
            languages, float(data["threshold"]), data.get("details", {}), min(veto, float(data["threshold"]))
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> ThemeModel:
        return cls.from_dict(json.loads(text))

    def to_bytes(self) -> bytes:
        return self.to_json().encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        return cls.from_json(data.decode("utf-8"))

    def summary(self) -> str:
        lines = [f"Theme model (threshold {self.threshold:.2f}, veto below {self.veto:.2f})", "=" * 44]
        for lang, m in self.languages.items():
            lines.append(
                f"{lang:<4} {m.examples:5d} examples  {len(m.words.vocabulary) + len(m.chars.vocabulary):6d} "
                f"features  themes: {', '.join(m.codes)}"
            )
        lines.append("=" * 44)
        return "\n".join(lines)


Example = tuple[str, str, Iterable[str]]


def train(
    examples: Iterable[Example | Any],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    veto: float = DEFAULT_VETO,
    c: float = 4.0,
    min_df: int = 1,
) -> ThemeModel:
    """Train a :class:`ThemeModel` from ``(text, lang, codes)`` examples (or evaluation ``Item``\\ s).

    A theme is learned for a language once it has at least one example with it and one
    without; a comment with no theme is a negative example for every theme.
    """
    by_lang: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for example in examples:
        text, lang, codes = _unpack(example)
        base = base_language(lang)
        if base and isinstance(text, str):
            by_lang.setdefault(base, []).append((text, frozenset(codes)))
    languages = {lang: _train_language(lang, rows, c, min_df) for lang, rows in sorted(by_lang.items())}
    details = {"c": c, "min_df": min_df, "examples": sum(len(r) for r in by_lang.values())}
    return ThemeModel({k: v for k, v in languages.items() if v is not None}, threshold, details, veto)


def _unpack(example: Any) -> tuple[str, str, Iterable[str]]:
    if hasattr(example, "text") and hasattr(example, "lang"):
        return example.text, example.lang, getattr(example, "codes", ())
    text, lang, codes = example
    return text, lang, codes


def _train_language(lang: str, rows: Sequence[tuple[str, frozenset[str]]], c: float, min_df: int):
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from analysis.themes.ruleset import available_languages, default_rules

    if lang not in available_languages():
        return None
    matcher = default_rules(lang).compiled()
    tokens = [matcher.tokenize(text) for text, _ in rows]
    blocks, matrices = [], []
    for analyzer in (word_features, char_features):
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, lowercase=False)
        try:
            matrices.append(vectorizer.fit_transform(tokens))
        except ValueError:  # every comment was empty: nothing to learn from
            return None
        vocab = vectorizer.vocabulary_
        blocks.append(Block({f: (int(i), round(float(vectorizer.idf_[i]), 6)) for f, i in vocab.items()}))
    x = sparse.hstack(matrices).tocsr()
    codes = [code for code in _codes(rows) if 0 < sum(code in r for _, r in rows) < len(rows)]
    coefficients, intercepts = [], []
    for code in codes:
        y = np.array([code in r for _, r in rows], dtype=int)
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        clf.fit(x, y)
        coef = clf.coef_[0]
        # Rounded as they are saved, so a model read back from JSON is equal to the one trained.
        coefficients.append(
            MappingProxyType({int(i): round(float(coef[i]), 6) for i in np.flatnonzero(coef)})
        )
        intercepts.append(round(float(clf.intercept_[0]), 6))
    return LanguageModel(
        lang, blocks[0], blocks[1], tuple(codes), tuple(coefficients), tuple(intercepts), len(rows)
    )


def _codes(rows: Sequence[tuple[str, frozenset[str]]]) -> list[str]:
    seen = {code for _, r in rows for code in r}
    return [c for c in THEMES if c in seen] + sorted(seen - set(THEMES))


def _language_dict(m: LanguageModel) -> dict[str, Any]:
    return {
        "words": {f: [c, idf] for f, (c, idf) in m.words.vocabulary.items()},
        "chars": {f: [c, idf] for f, (c, idf) in m.chars.vocabulary.items()},
        "codes": list(m.codes),
        "coefficients": [{str(c): w for c, w in coef.items()} for coef in m.coefficients],
        "intercepts": list(m.intercepts),
        "examples": m.examples,
    }


def _language_from(lang: str, d: Mapping[str, Any]) -> LanguageModel:
    return LanguageModel(
        lang,
        Block(MappingProxyType({f: (int(c), float(idf)) for f, (c, idf) in d["words"].items()})),
        Block(MappingProxyType({f: (int(c), float(idf)) for f, (c, idf) in d["chars"].items()})),
        tuple(d["codes"]),
        tuple(MappingProxyType({int(c): float(w) for c, w in coef.items()}) for coef in d["coefficients"]),
        tuple(float(b) for b in d["intercepts"]),
        int(d.get("examples", 0)),
    )
