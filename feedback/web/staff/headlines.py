"""One plain sentence per figure, for a manager; the method and p-values go one click deeper.

Each function reads the results JSON (``reports.results.build``), so a sentence never says
more than the figure it comes from.
"""

from __future__ import annotations

from flask_babel import format_decimal, gettext, ngettext

from feedback import formats
from feedback.services.reports import figure_text
from feedback.services.reports.warnings import render as warning  # noqa: F401  (templates: say.warning)

METRIC_NAMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


def signed(value: float, digits: int = 0) -> str:
    text = format_decimal(round(abs(value), digits), format="#,##0" + ("." + "0" * digits if digits else ""))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def plain(value: float, digits: int = 0) -> str:
    return format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""))


def _field(code: str | None) -> str:
    """A breakdown field ("tier", "store") as the reader names it."""
    return figure_text.field_names().get(code or "", code or "")


def _theme(code: str) -> str:
    return figure_text.theme_names().get(code) or code.replace("_", " ")


def metric(name: str, e: dict, min_n: int) -> str:
    if not e or e.get("value") is None or e.get("suppressed"):
        n = (e or {}).get("n", 0)
        return gettext("Too few answers to report yet (%(n)s; %(min)s are needed).", n=plain(n), min=min_n)
    n = plain(e["n"])
    if name == "nps":
        return gettext(
            "NPS is %(value)s (between %(low)s and %(high)s), from %(n)s answers.",
            value=signed(e["value"]),
            low=signed(e["low"]),
            high=signed(e["high"]),
            n=n,
        )
    if name == "csat":
        return gettext(
            "%(value)s%% of customers are satisfied (between %(low)s%% and %(high)s%%), from %(n)s answers.",
            value=plain(e["value"]),
            low=plain(e["low"]),
            high=plain(e["high"]),
            n=n,
        )
    return gettext(
        "Customer effort averages %(value)s (between %(low)s and %(high)s), from %(n)s answers.",
        value=plain(e["value"], 2),
        low=plain(e["low"], 2),
        high=plain(e["high"], 2),
        n=n,
    )


def precision(e: dict, target: float) -> str:
    if e.get("precise_enough"):
        return gettext(
            "Precise to ±%(margin)s points, within the ±%(target)s target.",
            margin=plain(e["margin"], 1),
            target=plain(target),
        )
    if e.get("margin_target_n"):
        return gettext(
            "Known only to ±%(margin)s points; about %(n)s answers would reach ±%(target)s.",
            margin=plain(e["margin"], 1),
            n=plain(e["margin_target_n"]),
            target=plain(target),
        )
    return gettext(
        "Known only to ±%(margin)s points, wider than the ±%(target)s target.",
        margin=plain(e["margin"], 1),
        target=plain(target),
    )


def response_rate(data: dict) -> str:
    rate = data.get("response_rate")
    if not rate:
        return gettext("No invitations were sent in this period.")
    return gettext(
        "%(value)s%% of invited customers answered (between %(low)s%% and %(high)s%%): %(k)s of %(n)s.",
        value=plain(rate["value"]),
        low=plain(rate["low"]),
        high=plain(rate["high"]),
        k=plain(data["responded"]),
        n=plain(data["invited"]),
    )


def weighted(block: dict) -> str:
    e = block["nps"]
    return gettext(
        "Weighted to match who was invited, NPS is %(value)s (between %(low)s and %(high)s).",
        value=signed(e["value"]),
        low=signed(e["low"]),
        high=signed(e["high"]),
    )


def change(c: dict) -> str:
    name, moved = METRIC_NAMES.get(c["metric"], c["metric"]), c["difference"]
    when = {"from": c["from_period"], "to": c["to_period"]}
    if not c["significant"]:
        return gettext(
            "%(name)s moved %(diff)s from %(from)s to %(to)s, which chance alone can do: "
            "do not report it as a rise or a fall.",
            name=name,
            diff=signed(moved, 1),
            **when,
        )
    if moved > 0:
        return gettext(
            "%(name)s rose %(diff)s points from %(from)s to %(to)s: a real change.",
            name=name,
            diff=plain(moved, 1),
            **when,
        )
    return gettext(
        "%(name)s fell %(diff)s points from %(from)s to %(to)s: a real change.",
        name=name,
        diff=plain(-moved, 1),
        **when,
    )


def week_change(weeks) -> str:
    """The latest week against the one before, in the words of :func:`change`."""
    if weeks is None or weeks.change is None:
        return gettext("Too few weeks with enough answers to compare one with the next.")
    locale = figure_text.reader_locale()
    before, after = (formats.short_date(d, locale) for d in weeks.compared)
    c = weeks.change
    return change(
        {
            "metric": "nps",
            "difference": c.difference,
            "significant": c.significant,
            "from_period": before,
            "to_period": after,
        }
    )


def control(data: dict) -> str:
    alerts = [a for a in data.get("alerts", []) if a.get("metric") == "nps" and not a.get("segment")]
    if not alerts:
        return gettext("Every month is within its normal range.")
    months = ", ".join(f"{a['period']} ({_side(a['signal'])})" for a in alerts)
    return ngettext(
        "%(num)s month is outside its normal range: %(months)s.",
        "%(num)s months are outside their normal range: %(months)s.",
        len(alerts),
        months=months,
    )


def _side(signal: str) -> str:
    return gettext("above") if signal == "above" else gettext("below")


def reconcile(data: dict) -> str | None:
    """Why two checks that seem to disagree are both true, in one sentence."""
    calm = not [a for a in data.get("alerts", []) if a.get("metric") == "nps" and not a.get("segment")]
    real = [c for c in data.get("changes", []) if c["metric"] == "nps" and c["significant"]]
    if calm and real:
        return gettext(
            "Why both are true: no single month is unusual on its own, but %(from)s and %(to)s, each "
            "with all its answers, differ by more than chance allows, so a slow drift shows there "
            "before it shows in any one month.",
            **{"from": real[0]["from_period"], "to": real[0]["to_period"]},
        )
    noisy = [c for c in data.get("changes", []) if c["metric"] == "nps" and not c["significant"]]
    if not calm and noisy and ".." not in noisy[0]["to_period"]:
        return gettext(
            "Why both are true: a month outside its normal range is compared with the whole period's "
            "average, while the change from %(from)s to %(to)s compares two months with each other.",
            **{"from": noisy[0]["from_period"], "to": noisy[0]["to_period"]},
        )
    return None


def segments(data: dict) -> str:
    shown = [
        s
        for s in data["segments"]
        if not s["suppressed"] and (s["metrics"].get("nps") or {}).get("value") is not None
    ]
    hidden = len(data["segments"]) - len(shown)
    if not shown:
        return gettext("No %(by)s group has enough answers to show.", by=_field(data["by"]))
    top = max(shown, key=lambda s: s["metrics"]["nps"]["value"])
    low = min(shown, key=lambda s: s["metrics"]["nps"]["value"])
    text = gettext(
        "By %(by)s, %(top)s scores highest (%(top_value)s) and %(low)s lowest (%(low_value)s).",
        by=_field(data["by"]),
        top=top["key"],
        top_value=signed(top["metrics"]["nps"]["value"]),
        low=low["key"],
        low_value=signed(low["metrics"]["nps"]["value"]),
    )
    differ = [s["key"] for s in shown if (s["metrics"]["nps"].get("vs_rest") or {}).get("significant")]
    if differ:
        text += " " + gettext(
            "Clearly different from the others: %(groups)s.", groups=", ".join(map(str, differ))
        )
    else:
        text += " " + gettext("No group differs from the others by more than chance.")
    if hidden:
        text += " " + ngettext(
            "%(num)s group has too few answers to show.",
            "%(num)s groups have too few answers to show.",
            hidden,
        )
    return text


def segment_months(data: dict) -> str:
    flagged = [r for r in data.get("segment_periods", []) if r["metric"] == "nps" and r.get("signal")]
    if not flagged:
        return gettext("No %(by)s has a month outside its own normal range.", by=_field(data["by"]))
    cells = "; ".join(
        gettext(
            "%(segment)s in %(period)s: NPS %(value)s, %(side)s its normal %(low)s to %(high)s",
            segment=r["segment"],
            period=r["period"],
            value=signed(r["value"]),
            side=_side(r["signal"]),
            low=signed(r["lower"]),
            high=signed(r["upper"]),
        )
        for r in flagged
    )
    return ngettext(
        "%(num)s month of one %(by)s stands out: %(cells)s.",
        "%(num)s months stand out by %(by)s: %(cells)s.",
        len(flagged),
        by=_field(data["by"]),
        cells=cells,
    )


def themes(trend: dict) -> str:
    """The group's complaint themes: which one leads lately, and any month outside its own range."""
    series = trend.get("series") or {}
    if not series:
        return gettext("No complaint on this group's themes in this period.")
    last = trend["periods"][-1]
    latest = {code: next((p for p in pts if p["period"] == last), None) for code, pts in series.items()}
    top = max(latest, key=lambda code: (latest[code] or {}).get("k", 0))
    text = gettext(
        "In %(period)s, %(theme)s leads the complaints: %(share)s%% of comments.",
        period=last,
        theme=_theme(top),
        share=plain((latest[top] or {}).get("value") or 0),
    )
    flagged = [(code, p) for code, pts in series.items() for p in pts if p.get("signal") == "above"]
    if flagged:
        text += " " + ngettext(
            "%(num)s month stands out: %(cells)s.",
            "%(num)s months stand out: %(cells)s.",
            len(flagged),
            cells="; ".join(
                gettext(
                    "%(theme)s in %(period)s, above its normal range",
                    theme=_theme(code),
                    period=p["period"],
                )
                for code, p in flagged
            ),
        )
    else:
        text += " " + gettext("No theme is above its normal range in any month.")
    return text


def drivers(block: dict) -> str:
    ranked = sorted(block.get("drivers") or [], key=lambda x: -x["importance"])
    if not ranked:
        return gettext("Too few answers to say which ratings go with a high score.")
    return gettext(
        "Customers who rate %(attribute)s higher also tend to score higher; that is an "
        "association, not proof that improving it raises the score.",
        attribute=ranked[0]["attribute"],
    )
