"""Alerts that explain themselves: what moved, by how much, against which limit, with n, and
what drives it.

An alert opens when:

- a theme's share of a group's comments in a region rises above its p-chart's 3-sigma upper
  limit in a month (``theme_share``, to the group the theme is routed to first);
- NPS or CSAT in a region falls outside its control limits in a month (``score``, to
  management), from the results function's own charts;
- weekly NPS or a weekly theme share in a region drifts past its EWMA limit while no week
  crosses its Shewhart limit (``drift``);
- a top-tier customer makes a complaint on a severe theme (``top_tier_severe``);
- the results warn of a Simpson reversal, or a store's scores look gamed (``simpson``,
  ``gaming``);
- answers stop: invitations went out but nobody answered for two days (``silence``).

Each alert has a key (rule, group, segment, metric): seeing it again bumps its count; an
acknowledged alert reopens when the metric gets worse than when it was acknowledged, a
resolved one when a later period signals (`state`). Messages are stored in English with
their msgid and parameters, and rendered in the reader's language (`messages`).

This package keeps the import path ``feedback.services.insights.alerts`` for its callers.
"""

from feedback.models import Alert
from feedback.services.insights.alerts.evaluate import evaluate
from feedback.services.insights.alerts.finding import Evaluated, Finding
from feedback.services.insights.alerts.mailing import notify_open
from feedback.services.insights.alerts.messages import render
from feedback.services.insights.alerts.reading import for_group, get, listing, public, set_status
from feedback.services.insights.alerts.state import record

_record = record  # the state machine's old private name, which tests drive directly

__all__ = [
    "Alert",
    "Evaluated",
    "Finding",
    "evaluate",
    "for_group",
    "get",
    "listing",
    "notify_open",
    "public",
    "record",
    "render",
    "set_status",
]
