"""The sample-size planner: how many answers for +-X, and how many invitations that takes."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

import analysis
from analysis.sampling import invitations_needed
from feedback.services.errors import ValidationFailed


def plan(values: dict[str, Any]) -> dict[str, Any]:
    metric = values["metric"]
    margin = float(values["margin"])
    confidence = float(values["confidence"])
    population = values.get("population") or None
    mix = None
    if metric == "nps" and values.get("promoters") is not None:
        pro, det = float(values["promoters"]) / 100, float(values.get("detractors") or 0) / 100
        if pro + det > 1:
            raise ValidationFailed(
                [("detractors", gettext("promoters and detractors add up to more than 100%"))]
            )
        mix = (pro, det)
    responses = analysis.sample_size(
        margin, confidence=confidence, population=population, metric=metric, mix=mix
    )
    rate = float(values["response_rate"])
    invitations = invitations_needed(responses, rate)
    return {
        "responses": responses,
        "invitations": min(invitations, population) if population else invitations,
        "enough_customers": population is None or invitations <= population,
        "margin": margin,
        "confidence": confidence,
        "population": population,
        "metric": metric,
        "mix": mix,
        "mdd": analysis.minimum_detectable_difference(
            responses, confidence=confidence, metric=metric, mix=mix
        ),
        "margins_at": [
            (
                n,
                analysis.margin_of_error(
                    n,
                    confidence=confidence,
                    population=population if (population is None or n <= population) else None,
                    metric=metric,
                    mix=mix,
                ),
            )
            for n in (100, 200, 400, 800, 1600)
            if population is None or n <= population
        ],
    }
