"""Transactional NPS: asked a day after each purchase."""

from __future__ import annotations

from surveys.model import SUPPORTED_LOCALES, DispatchRule, Question, QuestionType, Role, Survey
from surveys.standard import nps_scale
from surveys.templates.common import NPS_TEXT, REASON_TEXT, THANKS, nps_reason_variants, pick


def transactional_nps(locales: tuple[str, ...] = SUPPORTED_LOCALES) -> Survey:
    """NPS after a purchase, then an open reason worded for the score band."""
    return Survey(
        key="transactional-nps",
        name="Transactional NPS after purchase",
        locales=locales,
        default_locale=locales[0],
        thanks=pick(THANKS, locales),
        questions=(
            Question("nps", QuestionType.NPS, pick(NPS_TEXT, locales), Role.NPS, required=True,
                     scale=nps_scale(locales)),
            Question("reason", QuestionType.OPEN_TEXT, pick(REASON_TEXT, locales), Role.REASON, page=2,
                     variants=nps_reason_variants(locales)),
        ),
        dispatch=DispatchRule(trigger="purchase", delay_hours=24, channels=("email", "sms")),
    )
