"""Emerging topics: what the comments that no theme caught are about, grouped by their words.

The untagged comments of one language are clustered with non-negative matrix factorisation
over TF-IDF of their stems; polarity words and negations are left out, since they say how a
customer feels, not what about.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.themes.normalize import base_language

EXAMPLES = 3
TOP_TERMS = 5


@dataclass(frozen=True)
class EmergingTopic:
    """One cluster: its top terms, how many comments it holds, up to three of them and all of them
    (by index into the comments given)."""

    terms: tuple[str, ...]
    size: int
    examples: tuple[int, ...]
    members: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": list(self.terms),
            "size": self.size,
            "examples": list(self.examples),
            "members": list(self.members),
        }

    def summary(self) -> str:
        return (
            f"{self.size:4d} comments  {', '.join(self.terms)}  (e.g. {', '.join(map(str, self.examples))})"
        )


@dataclass(frozen=True)
class Emerging:
    """Clusters of the untagged comments, largest first; ``untagged`` counts the comments clustered."""

    lang: str
    comments: int
    untagged: int
    topics: tuple[EmergingTopic, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "comments": self.comments,
            "untagged": self.untagged,
            "topics": [t.to_dict() for t in self.topics],
        }

    def summary(self) -> str:
        lines = [
            f"Emerging topics ({self.lang}): {self.untagged} of {self.comments} comments untagged",
            "=" * 44,
        ]
        lines += [t.summary() for t in self.topics] or ["no clusters"]
        lines.append("=" * 44)
        return "\n".join(lines)


def emerging(
    comments: Sequence[str],
    lang: str,
    *,
    k: int | None = None,
    rules=None,
    min_size: int = 2,
    seed: int = 0,
) -> Emerging:
    """Cluster the comments in ``comments`` that get no theme tag.

    Parameters
    ----------
    comments : sequence of str
        Comments in language ``lang``; example indices refer to positions in this sequence.
    k : int, optional
        Number of clusters; by default about the square root of half the untagged comments,
        from 2 to 8.
    rules : Rules, optional
        The rules that decide what is tagged (the defaults otherwise).
    min_size : int
        Clusters with fewer comments are left out.

    Examples
    --------
    >>> texts = ["parking was full", "no parking spaces", "parking spaces were full",
    ...          "music too loud", "loud music in store", "the music was loud"]
    >>> found = emerging(texts, "en", k=2)
    >>> sorted(sorted(t.examples) for t in found.topics)
    [[0, 1, 2], [3, 4, 5]]
    >>> sorted(t.terms[0] for t in found.topics)
    ['music', 'parking']
    """
    from analysis.themes.ruleset import Rules, default_rules
    from analysis.themes.tagger import _negate, _resolve, rule_tags

    base = base_language(lang)
    rule_set = rules if isinstance(rules, Rules) else default_rules(base or "")
    matcher = rule_set.compiled()
    docs: list[int] = []
    words: list[list[str]] = []
    surface: dict[str, Counter] = defaultdict(Counter)
    for i, text in enumerate(comments):
        if not isinstance(text, str):
            continue
        tokens = matcher.tokenize(text)
        if not tokens.items or rule_tags(tokens, matcher):
            continue
        matches = _resolve(matcher.find(tokens))
        _negate(matches, matcher.window)
        feeling = {j for m in matches if m.theme is None for j in range(m.first, m.last + 1)}
        stems = []
        for j, token in enumerate(tokens.items):
            if j in feeling or token.text.isdigit() or len(token.text) < 3:
                continue
            stem = min(token.forms[0].stems, key=len) if token.forms[0].stems else token.text
            stems.append(stem)
            surface[stem][token.text] += 1
        if stems:
            docs.append(i)
            words.append(stems)
    topics = _cluster(docs, words, surface, k, min_size, seed)
    return Emerging(rule_set.lang, len(comments), len(docs), topics)


def _cluster(docs, words, surface, k, min_size, seed) -> tuple[EmergingTopic, ...]:
    if len(docs) < max(2 * min_size, 2):
        return ()
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda stems: stems, min_df=2 if len(docs) >= 20 else 1, max_df=0.6)
    try:
        x = vectorizer.fit_transform(words)
    except ValueError:  # nothing left after the document-frequency limits
        return ()
    if x.shape[1] < 2 or x.nnz == 0:
        return ()
    n = k or min(8, max(2, round(math.sqrt(len(docs) / 2))))
    n = max(1, min(n, x.shape[0], x.shape[1]))
    with warnings.catch_warnings():
        # A factorisation stopped short of full convergence still ranks terms usefully.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NMF(n_components=n, init="nndsvda", random_state=seed, max_iter=1000)
        weights = model.fit_transform(x)
    terms = vectorizer.get_feature_names_out()
    members: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for row, doc in enumerate(docs):
        if weights[row].max() > 0:
            members[int(weights[row].argmax())].append((float(weights[row].max()), doc))
    out = []
    for topic, held in members.items():
        if len(held) < min_size:
            continue
        order = model.components_[topic].argsort()[::-1]
        top = [
            surface[terms[j]].most_common(1)[0][0]
            for j in order[:TOP_TERMS]
            if model.components_[topic][j] > 0
        ]
        examples = tuple(doc for _, doc in sorted(held, key=lambda wd: (-wd[0], wd[1]))[:EXAMPLES])
        out.append(EmergingTopic(tuple(top), len(held), examples, tuple(sorted(doc for _, doc in held))))
    return tuple(sorted(out, key=lambda t: (-t.size, t.examples)))
