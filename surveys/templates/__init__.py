"""Ready-made surveys, each in en, fa, ar and ru, each passing its own wording checks."""

from __future__ import annotations

from collections.abc import Callable

from surveys.model import Survey
from surveys.templates.delivery import delivery_csat
from surveys.templates.quality import product_quality
from surveys.templates.relationship import relationship_nps
from surveys.templates.support import support_ces
from surveys.templates.transactional import transactional_nps

TEMPLATES: dict[str, Callable[..., Survey]] = {
    "transactional-nps": transactional_nps,
    "delivery-csat": delivery_csat,
    "support-ces": support_ces,
    "product-quality": product_quality,
    "relationship-nps": relationship_nps,
}

__all__ = [
    "TEMPLATES",
    "delivery_csat",
    "product_quality",
    "relationship_nps",
    "support_ces",
    "transactional_nps",
]
