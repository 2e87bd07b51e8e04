"""Weights everywhere: the results' figures again, raked to the invited population.

When respondents differ from the invited customers (a ``non_response_bias`` warning), each
metric's answers are raked to the invited mix on the attributes that differ most, the
weights are trimmed (FEEDBACK_WEIGHT_CAP times the median), and the overall figure, every
segment, every month, the changes and the Simpson check get a weighted twin with its
effective n and a Taylor-linearised interval (``analysis.weighted``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import analysis
from analysis import weighted, weighting
from analysis.weighted_simpson import standardized_change
from feedback.models import Response
from feedback.services.reports import aggregates
from feedback.services.reports.aggregates import NO_SEGMENT, Window, label, segment_expr

MAX_RAKING_FIELDS = 3
NOTE = (
    "Raked to the invited customers' mix and trimmed; intervals by Taylor linearisation "
    "(with-replacement design, weights taken as fixed)."
)


@dataclass(frozen=True)
class Answers:
    """One metric's answers as rows of (segment, period, score), each with its count and weight."""

    segment: np.ndarray
    period: np.ndarray
    score: np.ndarray
    count: np.ndarray
    weight: np.ndarray

    def take(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.score[mask], self.weight[mask], self.count[mask]


def raking_fields(checks: list[dict]) -> list[str]:
    """The attributes respondents differ on, most different first (Cramér's V)."""
    biased = sorted((c for c in checks if c["biased"]), key=lambda c: c["cramers_v"], reverse=True)
    return [c["attribute"] for c in biased[:MAX_RAKING_FIELDS]]


def answers(
    survey_id: int, spec, window: Window, by: str | None, fields: list[str], invited: dict, cap: float
) -> tuple[Answers, weighting.Weights, int] | None:
    """``spec``'s answers with raking weights, and how many fell in a cell nobody was invited in."""
    qids = aggregates.question_ids(survey_id, role=spec.role)
    if not qids:
        return None
    keys = [segment_expr(f) for f in fields] + ([segment_expr(by)] if by else []) + [Response.period]
    rows = aggregates.answer_counts(survey_id, window, qids, keys).all()
    if not rows:
        return None
    # Column by column in numpy: at 10^6 answers there are hundreds of thousands of rows.
    columns = list(zip(*rows, strict=True))
    score = np.array(columns[-2], dtype=float)
    count = np.array(columns[-1], dtype=float)
    scored = (score >= spec.low) & (score <= spec.high)
    # A missing value (a customer not yet in a tier, say) is a cell of its own, as it is in the
    # invited population; answers in a cell the invited population lacks are left out and counted.
    labels = [_labels(columns[i]) for i in range(len(fields))]
    kept = scored.copy()
    for f, values in zip(fields, labels, strict=True):
        kept &= np.isin(values, list(invited[f]))
    excluded = int(count[scored & ~kept].sum())
    if not kept.any():
        return None
    labels = [values[kept] for values in labels]
    joined = labels[0]
    for values in labels[1:]:
        joined = np.char.add(np.char.add(joined, "\x1f"), values)
    cells, first, index = np.unique(joined, return_index=True, return_inverse=True)
    per_cell = np.bincount(index.ravel(), weights=count[kept], minlength=cells.size)
    cell_columns = {f: values[first].tolist() for f, values in zip(fields, labels, strict=True)}
    margins = {f: {key: n for key, n in invited[f].items() if key in set(cell_columns[f])} for f in fields}
    w = weighting.rake(cell_columns, margins, counts=per_cell, cap=cap)
    segment = _labels(columns[len(fields)])[kept] if by else np.full(int(kept.sum()), NO_SEGMENT)
    table = Answers(
        segment,
        np.array([str(p) for p in columns[-3]], dtype=str)[kept],  # as the unweighted months are keyed
        score[kept].astype(np.int64),
        count[kept],
        w.weights[index.ravel()],
    )
    return table, w, excluded


def _labels(values) -> np.ndarray:
    return np.array([label(v) for v in values], dtype=str)


def estimator(spec) -> Callable[..., analysis.Estimate]:
    """The weighted twin of ``spec.estimate``, on the same points."""
    if spec.name == "nps":
        return lambda s, w, c, **kw: weighted.nps(s, w, counts=c, **kw)
    scale = spec.high - spec.low + 1
    if spec.name == "csat":
        return lambda s, w, c, **kw: weighted.csat(s - spec.low + 1, w, counts=c, scale=scale, **kw)
    return lambda s, w, c, **kw: weighted.ces(s - spec.low + 1, w, counts=c, scale=scale, **kw)


def twin(e: analysis.Estimate, unweighted: dict | None) -> dict:
    """The weighted figure; ``differs`` when the unweighted value lies outside its interval."""
    out = e.to_dict()
    if unweighted and unweighted.get("value") is not None:
        out["unweighted"] = unweighted["value"]
        out["differs"] = not e.low <= unweighted["value"] <= e.high
    return out


def attach(out: dict, survey_id: int, window: Window, specs, frame, min_n: int, cap: float) -> None:
    """Add the ``weighting`` block and the weighted twins of segments, months and changes."""
    fields = raking_fields(out["representativeness"])
    if not fields or "nps" not in out["metrics"]:
        return
    invited = {
        c["attribute"]: {str(x["key"]): x["invited"] for x in c["cells"]} for c in out["representativeness"]
    }
    block: dict = {"by": fields, "metrics": {}, "note": NOTE}
    for spec in specs:
        if not out["metrics"].get(spec.name, {}).get("n"):
            continue
        try:
            found = answers(survey_id, spec, window, out["by"], fields, invited, cap)
        except ValueError as exc:
            block.setdefault("errors", {})[spec.name] = str(exc)
            if spec.name == "nps":
                block["error"] = str(exc)
            continue
        if found is None or found[0].count.sum() < 2:
            continue
        table, w, excluded = found
        fit = estimator(spec)
        n = int(table.count.sum())
        everyone = np.ones(table.score.size, dtype=bool)
        overall = fit(*table.take(everyone), population=frame.population_for(n))
        entry = twin(overall, out["metrics"][spec.name]) | {
            "weighting": {"method": w.method, "trimming": w.trimming(), "excluded": excluded}
        }
        block["metrics"][spec.name] = entry
        if spec.name == "nps":
            block |= {
                "method": w.method,
                "converged": w.converged,
                "design_effect": round(w.design_effect, 3),
                "effective_n": round(w.effective_n, 1),
                "trimming": w.trimming(),
                "excluded": excluded,
                "nps": entry,
            }
            if excluded:
                block["note"] += f" {excluded} answers fall in a group no invitation has and are left out."
        _periods(out, spec, table, fit, min_n)
        _changes(out, spec, table, fit)
        if out["by"]:
            _segments(out, spec, table, fit, min_n)
            if spec.name == "nps":
                _simpson(out, table)
    if block["metrics"] or "error" in block:
        out["weighting"] = block


def _periods(out: dict, spec, table: Answers, fit, min_n: int) -> None:
    for row in out["periods"]:
        entry = row["metrics"].get(spec.name)
        mask = table.period == row["period"]
        if entry is None or entry.get("suppressed") or table.count[mask].sum() < max(min_n, 2):
            continue
        entry["weighted"] = twin(fit(*table.take(mask)), entry)


def _span(periods: np.ndarray, label_: str) -> np.ndarray:
    first, _, last = label_.partition("..")
    return (periods >= first) & (periods <= (last or first))


def _changes(out: dict, spec, table: Answers, fit) -> None:
    rows = [c for c in out["changes"] if c["metric"] == spec.name]
    tested = []
    for c in rows:
        after, before = _span(table.period, c["to_period"]), _span(table.period, c["from_period"])
        if table.count[after].sum() < 2 or table.count[before].sum() < 2:
            continue
        ea, eb = fit(*table.take(after)), fit(*table.take(before))
        tested.append((c, ea, eb, weighted.compare(ea, eb)))
    # The same two looks at the series as the unweighted changes, so the same Holm correction.
    adjusted = analysis.adjust([t[-1] for t in tested], method="holm")
    for (c, ea, eb, _), result in zip(tested, adjusted, strict=True):
        c["weighted"] = {"from_value": round(eb.value, 2), "to_value": round(ea.value, 2), **result.to_dict()}


def _segments(out: dict, spec, table: Answers, fit, min_n: int) -> None:
    pending = []
    for row in out["segments"]:
        entry = row["metrics"].get(spec.name)
        mask = table.segment == str(row["key"])
        if entry is None or entry.get("suppressed") or table.count[mask].sum() < max(min_n, 2):
            continue
        e = fit(*table.take(mask))
        entry["weighted"] = twin(e, entry)
        if table.count[~mask].sum() >= max(min_n, 2):
            pending.append((entry["weighted"], weighted.compare(e, fit(*table.take(~mask)))))
    adjusted = analysis.adjust([c for _, c in pending], method="holm")
    for (entry, _), c in zip(pending, adjusted, strict=True):
        entry["vs_rest"] = c.to_dict()


def _simpson(out: dict, table: Answers) -> None:
    if "standardized_change" not in out:
        return
    periods = sorted(set(table.period.tolist()))
    if len(periods) < 4:
        return
    early = np.isin(table.period, periods[: len(periods) // 2])
    late = ~early
    halves = [
        {k: table.take(half & (table.segment == k)) for k in set(table.segment[half].tolist())}
        for half in (early, late)
    ]
    try:
        result = standardized_change(*halves)
    except ValueError:
        return
    out["standardized_change"]["weighted"] = result.to_dict()
