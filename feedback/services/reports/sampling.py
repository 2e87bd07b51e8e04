"""Which finite population correction the results may use: none, unless a random design is declared.

Respondents chose to answer, so they are not a simple random sample of the invitees, and the
number of invitations is no population to correct for. Only when the company declares
(FEEDBACK_SAMPLING_DESIGN) that a random share of its purchasers was invited and non-response
is followed up are the answers a random sample of a frame of N purchasers.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedback.services.reports import aggregates
from feedback.services.reports.aggregates import Window

NO_DESIGN = "none"
RANDOM_PURCHASERS = "random-sample-of-purchasers"
SELF_SELECTED = "respondents chose to answer; they are not a random sample of the invitees"
RANDOM_WHY = (
    "a random sample of the purchasers was invited and non-response is followed up "
    "(FEEDBACK_SAMPLING_DESIGN); N is that frame, not the number of invitations"
)
FRAME = (
    "purchases made in the window that went through the random draw "
    "(invited, sampled out, or held back by fatigue after it)"
)


@dataclass(frozen=True)
class Sampling:
    design: str
    population: int | None = None  # N of the frame, under a declared random design

    def population_for(self, n: int) -> int | None:
        """N for an estimate on ``n`` answers, or None when there is no frame that holds them."""
        return self.population if self.population is not None and 0 < n <= self.population else None

    def to_dict(self, metrics: dict) -> dict:
        """The results' "sampling" block: what was done, and why."""
        if self.design == NO_DESIGN:
            return {"design": NO_DESIGN, "finite_population_correction": False, "why": SELF_SELECTED}
        corrected = [name for name, m in metrics.items() if "population" in m]
        block = {
            "design": self.design,
            "finite_population_correction": bool(corrected),
            "population": self.population,
            "frame": FRAME,
            "why": RANDOM_WHY,
        }
        left = [name for name, m in metrics.items() if m.get("n") and "population" not in m]
        if left:
            block["not_corrected"] = left
            block["why"] += f"; not for {', '.join(left)}: more answers than the frame counted in this window"
        return block


def declared(survey_id: int, window: Window, design: str) -> Sampling:
    """The design the configuration declares, with its frame counted for this window."""
    if design == RANDOM_PURCHASERS:
        return Sampling(design, aggregates.sampling_frame(survey_id, window))
    return Sampling(NO_DESIGN)
