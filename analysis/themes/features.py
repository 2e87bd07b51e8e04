"""The features the model reads: stems and stem pairs, and character n-grams of the normalised text.

Training (scikit-learn's vectoriser) and prediction (plain Python, see ``model.py``) call the
same two functions, so a model predicts from exactly the features it was trained on.
"""

from __future__ import annotations

from analysis.themes.tokens import Tokens

CHAR_SIZES = (2, 3, 4)


def word_features(tokens: Tokens) -> list[str]:
    """Stems, and pairs of neighbouring stems within a clause ("not late" is not "late")."""
    stems = [min(t.forms[0].stems, key=len) if t.forms[0].stems else t.text for t in tokens.items]
    out = list(stems)
    items = tokens.items
    for i in range(len(items) - 1):
        if items[i].clause == items[i + 1].clause:
            out.append(stems[i] + " " + stems[i + 1])
    return out


def char_features(tokens: Tokens) -> list[str]:
    """Character n-grams inside each word padded with spaces, as scikit-learn's ``char_wb``."""
    out: list[str] = []
    for token in tokens.items:
        out += char_features_of(token.text)
    return out


def char_features_of(word: str) -> list[str]:
    padded = f" {word} "
    out = []
    for n in CHAR_SIZES:
        out += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return out
