"""What the demo's customers write: a theme drawn as a retailer's comments run, then a phrase in
the customer's language (feedback/services/demo/phrases.py)."""

from __future__ import annotations

import numpy as np

from feedback.services.demo.phrases import COMMENTS

# What comments are about, roughly as a retailer's are: delivered orders talk about delivery
# and the product most, store visits about staff; one comment in eight names no theme.
STORE_THEMES = (("staff", "price", "quality", "none", "billing", "feature_request"), (25, 20, 20, 15, 10, 10))
DELIVERED_THEMES = (
    ("delivery", "quality", "website", "price", "packaging", "none", "billing", "feature_request"),
    (22, 16, 12, 12, 10, 12, 8, 8),
)


LEGACY_STORE = ("staff", "price", "quality")
LEGACY_DELIVERED = ("delivery", "website", "packaging", "price", "quality")
LEGACY_PAIRS = ("delivery", "price", "quality", "staff")


def comment(rng, words, score: int, p: dict, c: dict, incident: bool) -> str | None:
    band = "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    if rng.random() > {"detractor": 0.6, "passive": 0.35, "promoter": 0.4}[band]:
        return None
    # The shared stream makes the draws the first demo made here (a theme, then one of one or
    # two phrases), so every score after it, and each planted finding, stays where it was
    # calibrated; what the customer writes comes from ``words``.
    if not (incident and band == "detractor"):
        legacy = str(rng.choice(LEGACY_STORE if p["channel"] == "store" else LEGACY_DELIVERED))
    else:
        legacy = "delivery"
    rng.choice(2 if band == "detractor" and legacy in LEGACY_PAIRS else 1)
    # The incident shows in what detractors and passives write: late parcels are what they talk about.
    if incident and band != "promoter" and words.random() < 0.85:
        theme = "delivery"
    else:
        themes, weights = STORE_THEMES if p["channel"] == "store" else DELIVERED_THEMES
        theme = str(words.choice(themes, p=np.asarray(weights) / sum(weights)))
    bank = COMMENTS[c["locale"]]
    return str(words.choice(bank.get(theme, bank["quality"])[band]))
