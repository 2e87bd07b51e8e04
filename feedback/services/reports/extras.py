"""Parts of the results that need more than score counts: weighting, drivers, open-link answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

import analysis
from analysis import weighting
from analysis.drivers import drivers
from analysis.nps_intervals import nps_weighted
from feedback.services.design import catalog
from feedback.services.reports import aggregates
from feedback.services.reports.aggregates import NO_SEGMENT, Window, label, segment_expr
from surveys import serialize

MAX_RAKING_FIELDS = 3


def weighting_block(
    survey_id: int,
    checks: list[dict],
    window: Window,
    population_for: Callable[[int], int | None] = lambda n: None,
) -> dict | None:
    """NPS raked to the invited population on the attributes where respondents differ from it.

    ``population_for(n)`` is the frame size N for a finite population correction (the results'
    sampling design), or None: by default there is none, as for the unweighted NPS."""
    biased = sorted((c for c in checks if c["biased"]), key=lambda c: c["cramers_v"], reverse=True)
    fields = [c["attribute"] for c in biased[:MAX_RAKING_FIELDS]]
    if not fields:
        return None
    qids = aggregates.question_ids(survey_id, role="nps")
    columns = [segment_expr(f) for f in fields]
    rows = aggregates.answer_counts(survey_id, window, qids, columns).all()
    if not rows:
        return None
    # A missing value (a customer not yet in a tier, say) is a cell of its own, as it is in the
    # invited population; answers in a cell the invited population lacks are left out and counted.
    invited = {c["attribute"]: {str(x["key"]): x["invited"] for x in c["cells"]} for c in biased}
    kept = [r for r in rows if all(label(r[i]) in invited[f] for i, f in enumerate(fields))]
    excluded = sum(int(r[-1]) for r in rows) - sum(int(r[-1]) for r in kept)
    if not kept:
        return None
    counts = np.array([r[-1] for r in kept])
    scores = np.repeat(np.array([int(r[-2]) for r in kept]), counts)
    cols = {
        f: np.repeat(np.array([label(r[i]) for r in kept], dtype=object), counts)
        for i, f in enumerate(fields)
    }
    margins = {}
    for field in fields:
        seen = set(cols[field].tolist())
        margins[field] = {key: n for key, n in invited[field].items() if key in seen}
    try:
        weights = weighting.rake(cols, margins)
    except ValueError as exc:
        return {"by": fields, "error": str(exc)}
    estimate = nps_weighted(scores, weights.weights, population=population_for(int(scores.size)))
    block = {
        "by": fields,
        "method": weights.method,
        "converged": weights.converged,
        "design_effect": round(weights.design_effect, 3),
        "effective_n": round(weights.effective_n, 1),
        "excluded": excluded,
        "nps": estimate.to_dict(),
        "note": "Raked to the invited customers' mix; the interval uses Kish's effective sample size.",
    }
    if excluded:
        block["note"] += f" {excluded} answers fall in a group no invitation has and are left out."
    return block


def driver_block(survey_id: int, window: Window) -> dict | None:
    """Association of the outcome with each rated attribute, when the survey has driver questions."""
    version = catalog.live_version(survey_id)
    if version is None:
        return None
    spec = serialize.from_dict(version.definition, complete=False)
    driver_questions = [q for q in spec.questions if q.role.value == "driver" and q.attribute]
    outcome = next((q for q in spec.questions if q.role.value in ("nps", "csat") and q.scale), None)
    if not driver_questions or outcome is None:
        return None
    attributes = {q.attribute: aggregates.question_ids(survey_id, key=q.key) for q in driver_questions}
    names, table, counts = aggregates.driver_table(
        survey_id, aggregates.question_ids(survey_id, key=outcome.key), attributes, window
    )
    if counts.sum() == 0:
        return None
    rows = np.repeat(table, counts, axis=0)
    try:
        result = drivers(
            rows[:, 0],
            {name: rows[:, i + 1] for i, name in enumerate(names)},
            outcome_name=f"{outcome.key} score",
        )
    except ValueError as exc:
        return {"outcome": outcome.key, "note": str(exc)}
    return result.to_dict()


def open_link_block(survey_id: int, window: Window, mix: aggregates.ResponseMix, min_n: int) -> dict | None:
    """Open-link answers, reported apart: nobody chose who answered, so they are not a random sample."""
    n = mix.open_link
    if not n:
        return None
    qids = aggregates.question_ids(survey_id, role="nps")
    counts = aggregates.score_counts(survey_id, qids, 0, 10, window, source="open_link")
    total = sum(counts.values()) if counts else np.zeros(11)
    block = {
        "n": int(n),
        "note": (
            "Answers through the public link are self-selected, not a random sample; "
            "they are left out of every figure above."
        ),
    }
    if total.sum() >= min_n:
        block["nps"] = analysis.nps(counts=total).to_dict()
    return block


def review_prompt_block(mix: aggregates.ResponseMix) -> dict | None:
    """How many respondents the thank-you page sent on to a public review site.

    Only promoters are offered the link, so public ratings built this way over-state
    satisfaction; the survey's own figures are unaffected, but readers should know.
    """
    prompted = mix.review_prompted
    if not prompted:
        return None
    return {
        "n": int(prompted),
        "note": (
            "Promoters were offered a public review link after answering. Public ratings collected "
            "this way over-represent satisfied customers; compare them with these figures, not instead."
        ),
    }


def segment_totals(counts: dict) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(11, dtype=np.int64))
    for (segment, _period), c in counts.items():
        if segment != NO_SEGMENT:
            out[segment] += c
    return dict(out)
