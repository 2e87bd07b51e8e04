"""Plotly figures for reports. They show intervals and n, never a bare point.

Every figure takes a ``Wording`` (``analysis.figure_wording``): its fixed phrases in the
reader's language, how it writes a number, display labels for the periods, and whether the
reader reads right to left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from analysis.estimates import Estimate
from analysis.figure_wording import ENGLISH, Wording, mirror, time_axis, value_ticks
from analysis.figure_wording import PHRASES as PHRASES  # re-exported: callers translate them

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1f2937"
ACCENT = "#2563eb"
MUTED = "#9ca3af"
# Direction of a significant difference; not significant stays neutral grey.
BETTER, WORSE, NEUTRAL = "#15803d", "#b91c1c", "#6b7280"


def direction_colour(difference: float | None, significant: bool) -> str:
    """Green for a significant rise, red for a significant fall, grey when it may be noise."""
    if not significant or difference is None or difference == 0:
        return NEUTRAL
    return BETTER if difference > 0 else WORSE


def nps_trend(
    periods: Sequence[str],
    estimates: Sequence[Estimate | None],
    *,
    title: str = "NPS by month",
    wording: Wording = ENGLISH,
) -> go.Figure:
    """NPS per period with its interval as error bars; ``None`` marks a suppressed period."""
    w = wording
    if len(periods) != len(estimates):
        raise ValueError("periods and estimates must have the same length")
    shown = [(p, e) for p, e in zip(periods, estimates, strict=True) if e is not None]
    hidden = [p for p, e in zip(periods, estimates, strict=True) if e is None]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[p for p, _ in shown],
            y=[e.value for _, e in shown],
            mode="lines+markers",
            name=w("NPS"),
            line={"color": ACCENT, "width": 2},
            marker={"size": 8},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [e.high - e.value for _, e in shown],
                "arrayminus": [e.value - e.low for _, e in shown],
                "color": ACCENT,
                "thickness": 1.2,
                "width": 4,
            },
            text=[
                f"{w.period(p)}<br>{w('NPS')} {w.number(e.value)}<br>{w.interval(e.low, e.high)}"
                f"<br>n = {w.count(e.n)}"
                for p, e in shown
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    if hidden:
        # Marked in place along the bottom, never plotted as a value.
        fig.add_trace(
            go.Scatter(
                x=hidden,
                y=[-95] * len(hidden),
                mode="markers",
                name=w("too few answers"),
                marker={"symbol": "x-thin-open", "size": 10, "color": MUTED, "line": {"width": 2}},
                text=[f"{w.period(p)}<br>{w('too few answers to report')}" for p in hidden],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        font={"family": FONT, "color": INK},
        yaxis={
            "title": w("NPS (points)"),
            "range": [-100, 100],
            "zeroline": True,
            "zerolinecolor": MUTED,
            "gridcolor": "#e5e7eb",
            **value_ticks((-100, -50, 0, 50, 100), w),
        },
        # Every month in time order, thin ones included, whatever order the traces list them in.
        xaxis={"title": None, **time_axis(periods, w)},
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
        height=360,
    )
    mirror(fig, w)
    return fig


def segments_chart(
    keys: Sequence[str],
    estimates: Sequence[Estimate | None],
    *,
    title: str,
    overall: Estimate | None = None,
    colours: Sequence[str] | None = None,
    wording: Wording = ENGLISH,
) -> go.Figure:
    """One dot per segment with its interval; suppressed segments are listed but not plotted.

    ``colours`` (one per segment, see ``direction_colour``) marks which differ from the rest.
    """
    w = wording
    colours = list(colours) if colours is not None else [ACCENT] * len(keys)
    kept = [(str(k), e, c) for k, e, c in zip(keys, estimates, colours, strict=True) if e is not None]
    shown = [(k, e) for k, e, _ in kept]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            y=[k for k, _ in shown],
            x=[e.value for _, e in shown],
            mode="markers",
            name=w("estimate"),
            marker={"size": 10, "color": [c for _, _, c in kept]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [e.high - e.value for _, e in shown],
                "arrayminus": [e.value - e.low for _, e in shown],
                "color": MUTED,
                "thickness": 1.5,
            },
            text=[
                f"{k}: {w.number(e.value)}<br>{w.interval(e.low, e.high)}<br>n = {w.count(e.n)}"
                for k, e in shown
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    if overall is not None:
        fig.add_vline(
            x=overall.value,
            line_dash="dot",
            line_color=MUTED,
            annotation_text=w("all: %(value)s", value=w.number(overall.value)),
            annotation_position="top",
        )
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        font={"family": FONT, "color": INK},
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=120 + 36 * max(len(shown), 1),
        margin={"l": 110, "r": 20, "t": 50, "b": 40},
        showlegend=False,
        xaxis={"gridcolor": "#e5e7eb", "zeroline": True, "zerolinecolor": MUTED},
        yaxis={"type": "category", "autorange": "reversed"},
    )
    # The segments' names go on the right; the value axis keeps rising to the right.
    mirror(fig, w)
    return fig


def control_chart(
    periods: Sequence[str],
    values: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    centre: float,
    *,
    title: str,
    wording: Wording = ENGLISH,
) -> go.Figure:
    """A metric per period against its 3-sigma control limits; points outside are marked."""
    w = wording
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(periods),
            y=list(upper),
            mode="lines",
            name=w("upper limit"),
            line={"color": MUTED, "dash": "dash", "shape": "hv"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=list(periods),
            y=list(lower),
            mode="lines",
            name=w("lower limit"),
            line={"color": MUTED, "dash": "dash", "shape": "hv"},
        )
    )
    fig.add_hline(y=centre, line_color=MUTED)
    outside = [v > u or v < low for v, low, u in zip(values, lower, upper, strict=True)]
    fig.add_trace(
        go.Scatter(
            x=list(periods),
            y=list(values),
            mode="lines+markers",
            name=w("value"),
            line={"color": ACCENT},
            marker={
                "size": [12 if o else 7 for o in outside],
                "symbol": ["diamond" if o else "circle" for o in outside],
                "color": ["#b91c1c" if o else ACCENT for o in outside],
            },
        )
    )
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        font={"family": FONT, "color": INK},
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=320,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        xaxis=time_axis(periods, w),
        yaxis={"gridcolor": "#e5e7eb"},
    )
    mirror(fig, w)
    return fig


def theme_shares(
    periods: Sequence[str],
    series: dict[str, Sequence[dict]],
    *,
    title: str,
    wording: Wording = ENGLISH,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Each theme's share of comments per period, months above the p-chart's upper limit marked;
    ``series`` maps a theme to points with period, k, n, and value and upper in percent (as
    ``analysis.control.p_chart`` gives them); ``names`` gives a theme's display name."""
    w = wording
    names = names or {}
    fig = go.Figure()
    for code, points in series.items():
        fig.add_trace(
            go.Scatter(
                x=[p["period"] for p in points],
                y=[p["value"] for p in points],
                mode="lines+markers",
                name=names.get(code) or code.replace("_", " "),
                marker={
                    "size": [12 if p.get("signal") == "above" else 7 for p in points],
                    "symbol": ["diamond" if p.get("signal") == "above" else "circle" for p in points],
                },
                text=[
                    f"{w.period(p['period'])}: {w.number(p['value'])}% "
                    f"({w('%(k)s of %(n)s comments', k=w.count(p['k']), n=w.count(p['n']))})"
                    f"<br>{w('upper limit')} {w.number(p['upper'])}%"
                    for p in points
                ],
                hovertemplate="%{text}<extra>" + (names.get(code) or code) + "</extra>",
            )
        )
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        font={"family": FONT, "color": INK},
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        xaxis=time_axis(periods, w),
        yaxis={"title": w("Share of comments (%)"), "gridcolor": "#e5e7eb", "rangemode": "tozero"},
    )
    mirror(fig, w)
    return fig
