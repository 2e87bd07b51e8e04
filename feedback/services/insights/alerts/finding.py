"""What a rule found, before it becomes (or bumps) an alert, and what one run did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOOKBACK_MONTHS = 6
REGION = "region"


@dataclass
class Finding:
    """One rule's signal for one key (rule, group, segment, metric).

    ``message`` is the English text; ``template`` (a msgid) and ``params`` let pages and
    e-mails render it again in the reader's language (see `messages.render`).
    """

    key: str
    kind: str
    group_id: int | None
    survey_id: int | None
    segment: str
    metric: str
    period: str
    direction: str
    value: float | None
    baseline: float | None
    threshold: float | None
    n: int
    message: str = ""
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Evaluated:
    opened: int = 0
    repeated: int = 0
    reopened: int = 0
    points: int = 0  # region-months the Shewhart rules tested this run (theme shares and scores)
    cells: int = 0  # drift charts read this run, the family the drift limit is widened over

    def summary(self) -> str:
        return (
            f"{self.opened} alerts opened, {self.reopened} reopened, {self.repeated} seen again "
            f"({self.points} region-months and {self.cells} drift charts tested)"
        )


def months_back(year: int, month: int, months: int) -> str:
    month -= months
    while month <= 0:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"
