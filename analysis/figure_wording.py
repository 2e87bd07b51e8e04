"""How a figure speaks to its reader: translated phrases, numbers in the reader's digits,
period labels in the reader's calendar, and the reading direction.

Right to left, time runs from right to left (``autorange="reversed"``), the value axis and the
legend sit on the right, the title is set flush right, and each text is a right-to-left
isolate (Unicode Bidirectional Algorithm, UAX #9), as Plotly's SVG text reads left to right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go

# The fixed phrases figures use, by their English text; a caller translates each one.
PHRASES = (
    "NPS (points)",
    "NPS",
    "too few answers",
    "too few answers to report",
    "estimate",
    "all: %(value)s",
    "upper limit",
    "lower limit",
    "value",
    "Share of comments (%)",
    "95%% interval %(low)s to %(high)s",
    "%(k)s of %(n)s comments",
)


def _plain(value: float) -> str:
    return f"{value:.1f}".replace("-", "\u2212")


@dataclass(frozen=True)
class Wording:
    """How a figure speaks to its reader: phrases (English text to translation), how it writes
    a value (one decimal) and a count, display labels of periods (e.g. "2026-10" to
    "مهر ۱۴۰۵") and the direction.

    >>> Wording(text={"value": "مقدار"}, rtl=True)("value")
    'مقدار'
    """

    text: Mapping[str, str] = field(default_factory=dict)
    number: Callable[[float], str] = _plain
    count: Callable[[int], str] = str
    periods: Mapping[str, str] = field(default_factory=dict)
    rtl: bool = False

    def __call__(self, phrase: str, **values) -> str:
        said = self.text.get(phrase) or phrase
        return said % values if values else said.replace("%%", "%")

    def period(self, period: str) -> str:
        return self.periods.get(period, period)

    def interval(self, low: float, high: float) -> str:
        return self("95%% interval %(low)s to %(high)s", low=self.number(low), high=self.number(high))


ENGLISH = Wording()


def time_axis(periods: Sequence[str], wording: Wording) -> dict:
    """A category axis of periods in time order, labelled in the reader's calendar."""
    axis = {"type": "category", "categoryorder": "array", "categoryarray": list(periods)}
    if wording.periods:
        axis |= {
            "tickmode": "array",
            "tickvals": list(periods),
            "ticktext": [wording.period(p) for p in periods],
        }
    if wording.rtl:
        axis["autorange"] = "reversed"
    return axis


def value_ticks(values: Sequence[float], wording: Wording) -> dict:
    if wording is ENGLISH or not values:
        return {}
    return {"tickmode": "array", "tickvals": list(values), "ticktext": [wording.count(v) for v in values]}


def isolate(text: str | None) -> str | None:
    # Plotly's SVG text has a left-to-right base direction: a right-to-left isolate (RLI ... PDI,
    # Unicode Bidirectional Algorithm, UAX #9) keeps "NPS" and "95%" where a Persian reader expects.
    return f"\u2067{text}\u2069" if text else text


def mirror(fig: go.Figure, wording: Wording, *, value_axis: str = "yaxis") -> None:
    """Right-to-left: the value axis, the legend and the title move to the right, and each
    text reads with a right-to-left base direction."""
    if not wording.rtl:
        return
    margin = fig.layout.margin
    fig.update_layout(
        {value_axis: {"side": "right"}},
        title={"x": 0.98, "xanchor": "right", "text": isolate(fig.layout.title.text)},
        legend={"x": 1, "xanchor": "right"},
        margin={"l": margin.r, "r": margin.l},
    )
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.title.text:
            axis.title.text = isolate(axis.title.text)
    for trace in fig.data:
        trace.name = isolate(trace.name)
        if isinstance(trace.text, tuple | list):
            trace.text = [isolate(t) for t in trace.text]
    for note in fig.layout.annotations:
        note.text = isolate(note.text)
