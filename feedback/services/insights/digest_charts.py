"""The digest's two charts, drawn on the server as PNG in the recipient's language.

Called under the recipient's ``force_locale``: labels come from gettext, figures from
``feedback.formats`` (Persian or Arabic-Indic digits), and for a right-to-left reader the bars
grow from the right with their labels on the right. Matplotlib 3.11 lays text out with
libraqm, so Persian and Arabic labels are joined and ordered right to left by matplotlib
itself (pre-shaping them would reverse them twice); DejaVu Sans, bundled with matplotlib,
has the glyphs.
"""

from __future__ import annotations

import io

from flask_babel import gettext

from feedback import formats
from feedback.services.reports import figure_text

FONT = "DejaVu Sans"


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    _figure().close(fig)
    return buffer.getvalue()


def _read_direction(ax, rtl: bool, locale: str) -> None:
    """Value ticks in the reader's digits; for RTL, the value axis grows leftwards and the
    category labels sit on the right."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: formats.decimal(value, locale, 0)))
    hidden = ("top", "left") if rtl else ("top", "right")
    for side in hidden:
        ax.spines[side].set_visible(False)
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()


def themes_png(facts: dict) -> bytes:
    # Tick labels are made while drawing: the font has to hold until the PNG is written.
    with _figure().rc_context({"font.family": FONT}):
        return _png(themes_figure(facts))


def metrics_png(facts: dict) -> bytes:
    with _figure().rc_context({"font.family": FONT}):
        return _png(metrics_figure(facts))


def themes_figure(facts: dict):
    """Complaints per theme, this period against the one before."""
    plt = _figure()
    rtl, locale, names = figure_text.is_rtl(), figure_text.reader_locale(), figure_text.theme_names()
    with plt.rc_context({"font.family": FONT}):
        fig, ax = plt.subplots(figsize=(5.5, 2.6))
        themes = facts["themes"][:6] or [{"code": "-", "now": 0, "before": 0}]
        labels = [names.get(t["code"]) or t["code"].replace("_", " ") for t in themes]
        ys = range(len(themes))
        ax.barh(
            [y + 0.2 for y in ys],
            [t["before"] for t in themes],
            height=0.4,
            color="#cbd5e1",
            label=gettext("before"),
        )
        ax.barh(
            [y - 0.2 for y in ys],
            [t["now"] for t in themes],
            height=0.4,
            color="#b91c1c",
            label=gettext("this period"),
        )
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlabel(gettext("complaints"))
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(gettext("Complaints on your themes"), fontsize=10, loc="right" if rtl else "center")
        _read_direction(ax, rtl, locale)
        ax.legend(fontsize=8, frameon=False, loc="lower left" if rtl else "lower right")
        return fig


def metrics_figure(facts: dict):
    """The period's scores with their 95% intervals."""
    plt = _figure()
    rtl, locale = figure_text.is_rtl(), figure_text.reader_locale()
    with plt.rc_context({"font.family": FONT}):
        fig, ax = plt.subplots(figsize=(5.5, 2.2))
        metrics = facts["metrics"]
        names = [n.upper() for n in metrics] or ["NPS"]
        values = [m["value"] for m in metrics.values()] or [0]
        lows = [m["value"] - m.get("low", m["value"]) for m in metrics.values()] or [0]
        highs = [m.get("high", m["value"]) - m["value"] for m in metrics.values()] or [0]
        ax.errorbar(values, range(len(names)), xerr=[lows, highs], fmt="o", color="#1d4ed8", capsize=4)
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()
        ax.set_title(
            gettext("This period, with intervals at 95%"), fontsize=10, loc="right" if rtl else "center"
        )
        _read_direction(ax, rtl, locale)
        return fig
