"""The tag a comment gets: a theme, its polarity, where in the text, and what said so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.themes.catalogue import DEPARTMENT, POLARITIES

SOURCES = ("rule", "model")


@dataclass(frozen=True)
class ThemeTag:
    """One theme found in a comment.

    ``span`` is the (start, end) of the words in the original text that gave the tag, or
    ``None`` for a tag from the model, which reads the comment whole. ``confidence`` is the
    model's probability, or for a rule a fixed figure by the kind of evidence (0.9 for a
    phrase of the theme's own, down to 0.55 for a bare mention).

    Examples
    --------
    >>> t = ThemeTag("delivery", "praise", (0, 13), "rule", 0.85)
    >>> t.summary()
    'delivery (praise) at 0-13, rule 0.85 -> logistics'
    """

    code: str
    polarity: str
    span: tuple[int, int] | None
    source: str
    confidence: float

    def __post_init__(self) -> None:
        if self.polarity not in POLARITIES:
            raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, got {self.polarity!r}")
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {self.source!r}")
        if not 0 <= self.confidence <= 1:
            raise ValueError(f"confidence must be between 0 and 1, got {self.confidence!r}")

    @property
    def department(self) -> str:
        return DEPARTMENT.get(self.code, "unassigned")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "polarity": self.polarity,
            "span": list(self.span) if self.span is not None else None,
            "source": self.source,
            "confidence": round(float(self.confidence), 4),
        }

    def summary(self) -> str:
        where = f"at {self.span[0]}-{self.span[1]}" if self.span is not None else "(whole comment)"
        return (
            f"{self.code} ({self.polarity}) {where}, {self.source} {self.confidence:.2f} -> {self.department}"
        )
