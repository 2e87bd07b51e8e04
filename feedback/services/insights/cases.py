"""Closing the loop: a case for every unhappy customer, routed by theme, with deadlines.

The work is split by stage: :mod:`case_opening` opens cases from responses, :mod:`case_queue`
lists and shows them, :mod:`case_lifecycle` changes and escalates them, and
:mod:`case_notify` e-mails owners and leads. This module keeps the one import path that the
routes, the worker and the tests use.
"""

from __future__ import annotations

from feedback.services.insights.case_lifecycle import escalate_overdue, update
from feedback.services.insights.case_notify import notify_pending
from feedback.services.insights.case_opening import BATCH, DEFAULT_GROUP, SCAN, Opened, open_pending
from feedback.services.insights.case_queue import (
    PAGE,
    Filters,
    check_filters,
    first_contact_hours,
    get,
    group_slug,
    one,
    overdue,
    queue,
    working_staff,
)

__all__ = [
    "BATCH",
    "DEFAULT_GROUP",
    "PAGE",
    "SCAN",
    "Filters",
    "Opened",
    "check_filters",
    "escalate_overdue",
    "first_contact_hours",
    "get",
    "group_slug",
    "notify_pending",
    "one",
    "open_pending",
    "overdue",
    "queue",
    "update",
    "working_staff",
]
