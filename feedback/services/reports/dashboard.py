"""The staff dashboard: the results JSON plus the figures drawn from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext

import analysis
from analysis import figures
from feedback.models import Survey
from feedback.services.reports import figure_text, results


@dataclass(frozen=True)
class Dashboard:
    survey: Survey
    data: dict
    figures: dict[str, str]


def _estimate(d: dict | None, metric: str = "nps") -> analysis.Estimate | None:
    if not d or d.get("suppressed") or d.get("value") is None:
        return None
    return analysis.Estimate(
        metric, d["value"], d["low"], d["high"], d["n"], d.get("confidence", 0.95), d.get("method", "")
    )


def build(survey: Survey, *, by: str | None, start: datetime | None, end: datetime | None) -> Dashboard:
    """Every figure is drawn from the results JSON, so the page never disagrees with the API."""
    data = results.build(survey, by=by, start=start, end=end)
    figs: dict[str, str] = {}
    if "nps" in data["metrics"] and data["metrics"]["nps"].get("n"):
        periods = [p["period"] for p in data["periods"] if "nps" in p["metrics"]]
        estimates = [_estimate(p["metrics"]["nps"]) for p in data["periods"] if "nps" in p["metrics"]]
        # Axis labels, month names, digits and direction in the reader's language.
        wording = figure_text.wording(periods)
        figs["trend"] = figures.nps_trend(
            periods, estimates, title=gettext("NPS by month, with intervals at 95%"), wording=wording
        ).to_json()
        if data["segments"]:
            keys = [s["key"] for s in data["segments"]]
            figs["segments"] = figures.segments_chart(
                keys,
                [_estimate(s["metrics"].get("nps")) for s in data["segments"]],
                title=gettext("NPS by %(by)s", by=figure_text.field_names().get(data["by"], data["by"])),
                overall=_estimate(data["metrics"]["nps"]),
                colours=[_colour((s["metrics"].get("nps") or {}).get("vs_rest")) for s in data["segments"]],
                wording=wording,
            ).to_json()
        control = data.get("control", {}).get("nps")
        if control and len(control["points"]) >= 3:
            points = control["points"]
            figs["control"] = figures.control_chart(
                [p["period"] for p in points],
                [p["value"] for p in points],
                [p["lower"] for p in points],
                [p["upper"] for p in points],
                points[0]["centre"],
                title=gettext("NPS against its 3-sigma control limits"),
                wording=figure_text.wording([p["period"] for p in points]),
            ).to_json()
    return Dashboard(survey, data, figs)


def _colour(comparison: dict | None) -> str:
    if not comparison:
        return figures.NEUTRAL
    return figures.direction_colour(comparison["difference"], comparison["significant"])
