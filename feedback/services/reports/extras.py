"""Parts of the results that need more than score counts: drivers, open-link answers.

The weighted figures are in feedback.services.reports.weights.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

import analysis
from analysis.drivers import drivers
from feedback.services.design import catalog
from feedback.services.reports import aggregates
from feedback.services.reports.aggregates import NO_SEGMENT, Window
from feedback.services.reports.method_text import N_
from surveys import serialize


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
        "note": N_(
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
        "note": N_(
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
