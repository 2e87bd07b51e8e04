"""Survey results: the one function behind the API, `feedback report` and the dashboards.

SQL aggregates (feedback.services.reports.aggregates) go in; estimates with intervals, honest
comparisons and warnings (analysis) come out, shaped as the results JSON in DESIGN.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, datetime, timedelta

import numpy as np
from flask import current_app
from flask_babel import gettext

import analysis
from analysis import dispersion, representativeness
from analysis.control import nps_chart, p_chart
from analysis.gaming import suspicious_segments
from analysis.simpson import standardized_change
from feedback.models import Survey
from feedback.services.design import catalog
from feedback.services.errors import ValidationFailed
from feedback.services.reports import aggregates, sampling, weights
from feedback.services.reports import warnings as say
from feedback.services.reports.aggregates import Window
from feedback.services.reports.breakdown import segment_effect, segment_months
from feedback.services.reports.extras import (
    driver_block,
    open_link_block,
    review_prompt_block,
)
from feedback.services.segments import UNIT_FIELDS, check_field
from surveys import serialize


@dataclass(frozen=True)
class MetricSpec:
    name: str
    role: str
    low: int
    high: int
    estimate: Callable[..., analysis.Estimate]


def metric_specs(survey_id: int) -> list[MetricSpec]:
    version = catalog.live_version(survey_id)
    if version is None:
        return []
    spec = serialize.from_dict(version.definition, complete=False)
    out = []
    for role in ("nps", "csat", "ces"):
        question = next((q for q in spec.questions if q.role.value == role and q.scale), None)
        if question is None:
            continue
        low, high = question.scale.min, question.scale.max
        if role == "nps":
            out.append(MetricSpec("nps", role, 0, 10, lambda c, **kw: analysis.nps(counts=c, **kw)))
        elif role == "csat":
            out.append(
                MetricSpec(
                    "csat",
                    role,
                    low,
                    high,
                    lambda c, high=high, **kw: analysis.csat(counts=c, scale=high, **kw),
                )
            )
        else:
            out.append(
                MetricSpec(
                    "ces",
                    role,
                    low,
                    high,
                    lambda c, high=high, **kw: analysis.ces(counts=c, scale=high, **kw),
                )
            )
    return out


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?")


def parse_time(raw: str | None, field: str) -> datetime | None:
    """'YYYY-MM-DD' or an ISO 8601 time, as UTC; a bad value is a ValidationFailed on ``field``."""
    if raw in (None, ""):
        return None
    try:
        if not ISO_TIME.fullmatch(str(raw)):  # fromisoformat also reads 20260101 and 2026-W01-1
            raise ValueError(raw)
        value = datetime.fromisoformat(str(raw))
        return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise ValidationFailed([(field, gettext("use a date like 2026-01-31 or an ISO 8601 time"))]) from None


def parse_window(date_from: str | None, date_to: str | None) -> tuple[datetime | None, datetime | None]:
    """'YYYY-MM-DD' (or a full ISO 8601 time) to a UTC window; ``date_to`` is inclusive of its day."""
    problems, out = [], []
    for field, raw, inclusive in (("from", date_from, False), ("to", date_to, True)):
        try:
            value = parse_time(raw, field)
        except ValidationFailed as exc:
            problems += exc.errors
            value = None
        if value is not None and inclusive and len(str(raw)) == 10:
            if value.year == MAXYEAR and value.month == 12 and value.day == 31:
                problems.append((field, gettext("must be before the year 9999 ends")))
                value = None
            else:
                value += timedelta(days=1)
        out.append(value)
    if not problems and out[0] and out[1] and out[0] >= out[1]:
        problems.append(("to", gettext("must be after 'from'")))
    if problems:
        raise ValidationFailed(problems)
    return out[0], out[1]


def build(
    survey: Survey,
    *,
    by: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    where: dict[str, str] | None = None,
) -> dict:
    """Results for ``survey`` in [start, end), broken down by segment field ``by``, and only
    for the customers ``where`` names (e.g. {"tier": "top"}), invited population included."""
    by = check_field(by)
    segment = check_slice(where)
    config = current_app.config
    min_n, target = int(config["MIN_SEGMENT_N"]), float(config["TARGET_MARGIN"])
    window = Window(start, end, segment)
    pop = aggregates.population(survey.id, window)
    # No finite population correction unless a random design gives a real frame (sampling.py).
    frame = sampling.declared(survey.id, window, str(config.get("SAMPLING_DESIGN", "none")))
    out: dict = {
        "survey": survey.id,
        "key": survey.key,
        "name": survey.name,
        "from": _day_or_time(start),
        "to": _day_or_time(end, inclusive=True),
        "by": by,
        "where": dict(segment),
        "confidence": 0.95,
        "min_n": min_n,
        "target_margin": target,
        "invited": pop.invited,
        "responded": pop.responded,
        "response_rate": None,
        "sampling": None,
        "metrics": {},
        "segments": [],
        "changes": [],
        "periods": [],
        "warnings": [],
        "alerts": [],
    }
    warnings = out["warnings"]
    if pop.invited:
        rate = analysis.response_rate(pop.responded, pop.invited)
        out["response_rate"] = {
            "value": round(rate.value, 2),
            "low": round(rate.low, 2),
            "high": round(rate.high, 2),
        }
        floor = float(config.get("LOW_RESPONSE_RATE", 10.0))
        if rate.high < floor:
            warnings.append(say.low_response_rate(rate))
    specs = metric_specs(survey.id)
    for spec in specs:
        qids = aggregates.question_ids(survey.id, role=spec.role)
        counts = aggregates.score_counts(survey.id, qids, spec.low, spec.high, window, by=by)
        _metric(out, spec, counts, frame, by, min_n, target)
    out["sampling"] = frame.to_dict(out["metrics"])
    halves = [c for c in out["changes"] if c["metric"] == "nps" and ".." in c["from_period"]]
    if halves and halves[0]["significant"]:
        # Only a real change needs explaining; a change within noise is already flagged as such.
        _composition(out, survey.id, window, by, halves[0]["to_period"].split("..")[0])
    _representativeness(out, pop)
    if any(w["code"] == "non_response_bias" for w in warnings):
        weights.attach(out, survey.id, window, specs, frame, min_n, float(config["WEIGHT_CAP"]))
    drivers = driver_block(survey.id, window)
    if drivers:
        out["drivers"] = drivers
    mix = aggregates.response_mix(survey.id, window)
    open_link = open_link_block(survey.id, window, mix, min_n)
    if open_link:
        out["open_link"] = open_link
    review = review_prompt_block(mix)
    if review:
        out["review_prompts"] = review
    return plain(out)


SLICE_FIELDS = ("tier", "channel", "region", "category", "locale")


def check_slice(where: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    """Fields a report may be narrowed to: those the invited population is counted by."""
    out = []
    for field, value in (where or {}).items():
        if field not in SLICE_FIELDS:
            raise ValidationFailed(
                [(field, gettext("narrow by one of %(choices)s", choices=", ".join(SLICE_FIELDS)))]
            )
        if not isinstance(value, str) or not 1 <= len(value) <= 64:
            raise ValidationFailed([(field, gettext("give a value of 1-64 characters"))])
        out.append((field, value))
    return tuple(sorted(out))


def _day_or_time(moment: datetime | None, *, inclusive: bool = False) -> str | None:
    """The window's edge as the user gave it: a day ('to' inclusive) when it falls on midnight."""
    if moment is None:
        return None
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return (moment - timedelta(days=1) if inclusive else moment).date().isoformat()
    return moment.isoformat()


def plain(value):
    """Numpy scalars and tuples become JSON-ready Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _metric(
    out: dict,
    spec: MetricSpec,
    counts: dict,
    frame: sampling.Sampling,
    by: str | None,
    min_n: int,
    target: float,
) -> None:
    width = spec.high - spec.low + 1
    total = np.zeros(width, dtype=np.int64)
    by_segment: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    by_period: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    for (segment, period), c in counts.items():
        total += c
        by_segment[segment] += c
        by_period[period] += c
    n = int(total.sum())
    warnings = out["warnings"]
    if n == 0:
        out["metrics"][spec.name] = {"n": 0, "value": None, "suppressed": True}
        return
    population = frame.population_for(n)
    estimate = spec.estimate(total, population=population) if n >= 2 else spec.estimate(total)
    entry = estimate.to_dict() | {
        "margin": round(estimate.margin, 3),
        "precise_enough": estimate.margin <= target,
    }
    if spec.name == "nps":
        entry["margin_target_n"] = analysis.sample_size(target, metric="nps", population=population)
    out["metrics"][spec.name] = entry
    if n < min_n:
        warnings.append(say.too_few(spec.name, n, min_n, estimate))
    elif estimate.margin > target:
        warnings.append(say.imprecise(spec.name, estimate, target))
    periods = sorted(by_period)
    period_estimates = {p: spec.estimate(by_period[p]) for p in periods if by_period[p].sum() >= min_n}
    _merge_periods(out, spec.name, periods, by_period, period_estimates)
    _changes(out, spec, periods, by_period, min_n)
    if len(periods) >= 3:
        _control(out, spec, periods, by_period, min_n)
    if by is not None:
        _segments(out, spec, by, by_segment, estimate, min_n)
        _simpson(out, spec, by, counts, periods)
        if spec.name in ("nps", "csat"):
            rows = segment_months(spec.name, counts, min_n, lambda c: _satisfied(spec, c))
            out.setdefault("segment_periods", []).extend(rows)
            out["alerts"] += [
                {k: v for k, v in r.items() if k != "metric"} | {"metric": spec.name, "by": by}
                for r in rows
                if r.get("signal")
            ]
        if spec.name in ("nps", "csat") and by in UNIT_FIELDS:
            peers = {k: list(v) for k, v in by_segment.items() if k != aggregates.NO_SEGMENT}
            suspects = suspicious_segments(peers, min_n=min_n)
            warnings += [say.gaming(spec.name, by, s) for s in suspects]


def _control(out: dict, spec: MetricSpec, periods: list[str], by_period: dict, min_n: int) -> None:
    """Early warning: a month outside its control limits becomes an alert (NPS chart, CSAT p-chart)."""
    if spec.name == "nps":
        points = nps_chart(periods, [list(by_period[p]) for p in periods])
    elif spec.name == "csat":
        satisfied = [_satisfied(spec, by_period[p]) for p in periods]
        points = p_chart(periods, satisfied, [int(by_period[p].sum()) for p in periods])
    else:
        return
    # Months below the reporting minimum would carry limits of ±100; they are left off the chart.
    shown = [p for p in points if p.n >= min_n]
    out.setdefault("control", {})[spec.name] = {
        "points": [p.to_dict() for p in shown],
        "left_out": len(points) - len(shown),
        # limits ("shewhart" or "laney"), sigma_z, the dispersion ratio, and the method
        **points.to_dict(),
    }
    out["alerts"] += [{"metric": spec.name, **p.to_dict()} for p in shown if p.signal]


def _satisfied(spec: MetricSpec, counts: np.ndarray) -> int:
    return int(spec.estimate(counts).details["satisfied"])


def _merge_periods(out, name, periods, by_period, estimates) -> None:
    rows = {row["period"]: row for row in out["periods"]}
    for p in periods:
        row = rows.setdefault(p, {"period": p, "metrics": {}})
        e = estimates.get(p)
        row["metrics"][name] = e.to_dict() if e else {"n": int(by_period[p].sum()), "suppressed": True}
    out["periods"] = [rows[p] for p in sorted(rows)]


def _changes(out: dict, spec: MetricSpec, periods: list[str], by_period: dict, min_n: int) -> None:
    pairs = []
    # The latest change is between the two latest months with enough answers: on the 1st the
    # new month holds a few hours of answers, and last month against the one before is the news.
    enough = [p for p in periods if by_period[p].sum() >= min_n]
    if len(enough) >= 2:
        pairs.append(([enough[-2]], [enough[-1]]))
    if len(periods) >= 4:
        half = len(periods) // 2
        pairs.append((periods[:half], periods[half:]))
    tested = []
    for before, after in pairs:
        a = sum(by_period[p] for p in after)
        b = sum(by_period[p] for p in before)
        if a.sum() >= min_n and b.sum() >= min_n:
            ea, eb = spec.estimate(a), spec.estimate(b)
            tested.append((before, after, ea, eb, analysis.compare(ea, eb)))
    # Two looks at the same series: a change is significant only after Holm's correction.
    adjusted = analysis.adjust([t[-1] for t in tested], method="holm")
    # Months that vary beyond sampling noise make every change look surer than it is.
    spread = dispersion.of_estimates([spec.estimate(by_period[p]) for p in enough])
    widened = analysis.adjust([dispersion.widen(t[-1], spread) for t in tested]) if spread else []
    for i, ((before, after, ea, eb, _), c) in enumerate(zip(tested, adjusted, strict=True)):
        label_from = before[0] if len(before) == 1 else f"{before[0]}..{before[-1]}"
        label_to = after[0] if len(after) == 1 else f"{after[0]}..{after[-1]}"
        out["changes"].append(
            {
                "metric": spec.name,
                "from_period": label_from,
                "to_period": label_to,
                "from_value": round(eb.value, 2),
                "to_value": round(ea.value, 2),
                **c.to_dict(),
                "dispersion": spread.to_dict() if spread else None,
                "overdispersion_adjusted": widened[i].to_dict() if spread and spread.overdispersed else None,
            }
        )
        if not c.significant:
            out["warnings"].append(say.not_significant(spec.name, c, label_from, label_to))


def _segments(out: dict, spec: MetricSpec, by: str, by_segment: dict, overall, min_n: int) -> None:
    comparisons = []
    total = sum(by_segment.values())
    for key in sorted(by_segment, key=str):
        c = by_segment[key]
        n = int(c.sum())
        row = next((r for r in out["segments"] if r["key"] == key), None)
        if row is None:
            row = {"by": by, "key": key, "n": n, "metrics": {}, "suppressed": n < min_n}
            out["segments"].append(row)
        if n < min_n:
            row["metrics"][spec.name] = {"n": n, "suppressed": True}
            continue
        estimate = spec.estimate(c)
        rest = total - c
        entry = estimate.to_dict()
        if rest.sum() >= min_n:
            scores = range(spec.low, spec.high + 1)
            effect = segment_effect(spec.name, c, rest, scores, lambda x: _satisfied(spec, x))
            comparisons.append((entry, analysis.compare(estimate, spec.estimate(rest)), effect))
        row["metrics"][spec.name] = entry
        row["suppressed"] = False
    adjusted = analysis.adjust([x[1] for x in comparisons], method="holm")
    for (entry, _, effect), c in zip(comparisons, adjusted, strict=True):
        entry["vs_rest"] = c.to_dict() | {"effect": effect}


def _simpson(out: dict, spec: MetricSpec, by: str, counts: dict, periods: list[str]) -> None:
    if spec.name != "nps" or len(periods) < 4:
        return
    half = set(periods[: len(periods) // 2])
    before: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(11, dtype=np.int64))
    after: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(11, dtype=np.int64))
    for (segment, period), c in counts.items():
        (before if period in half else after)[segment] += c
    try:
        result = standardized_change(
            {k: list(v) for k, v in before.items()}, {k: list(v) for k, v in after.items()}
        )
    except ValueError:
        return
    out["standardized_change"] = {"metric": "nps", "by": by, **result.to_dict()}
    if warning := say.composition(by, result):
        out["warnings"].append(warning)


COMPOSITION_FIELDS = ("tier", "channel", "region", "category")


def _composition(out: dict, survey_id: int, window: Window, by: str | None, split: str) -> None:
    """Simpson check on every population field, so a mix shift is named whatever the breakdown."""
    fields = tuple(f for f in COMPOSITION_FIELDS if f != by)
    qids = aggregates.question_ids(survey_id, role="nps")
    rows = aggregates.counts_by_fields(survey_id, qids, fields, window, split)
    for i, field in enumerate(fields):
        halves: tuple[dict, dict] = (defaultdict(lambda: [0] * 11), defaultdict(lambda: [0] * 11))
        for values, half, score, n in rows:
            if 0 <= score <= 10:
                halves[half][values[i]][score] += n
        try:
            result = standardized_change(dict(halves[0]), dict(halves[1]))
        except ValueError:
            continue
        if warning := say.composition(field, result):
            out["warnings"].append(warning)


def _representativeness(out: dict, pop) -> None:
    floor = float(current_app.config.get("NON_RESPONSE_MIN_V", representativeness.MIN_EFFECT))
    checks = representativeness.check(pop.invited_by, pop.responded_by, min_effect=floor)
    out["representativeness"] = [c.to_dict() for c in checks]
    out["warnings"] += [say.non_response(c) for c in checks if c.biased]
