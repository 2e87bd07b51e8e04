"""Transactional NPS: asked a day after each purchase."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, DispatchRule, Survey
from surveys.templates.common import nps_question, reason_question, template


def transactional_nps(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    """NPS after a purchase, then an open reason worded for the score band."""
    return template(
        "transactional-nps",
        "Transactional NPS after purchase",
        locales,
        (nps_question(locales), reason_question(locales)),
        DispatchRule(trigger="purchase", delay_hours=24, channels=("email", "sms")),
    )
