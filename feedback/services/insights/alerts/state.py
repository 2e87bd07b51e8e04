"""The alert state machine: one row per key; a repeat counts, an acknowledged alert reopens
only when worse than when it was acknowledged, a resolved one when a later period signals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Alert
from feedback.services.insights.alerts.finding import Evaluated, Finding
from feedback.services.insights.alerts.messages import english


def worse(finding: Finding, than: float | None) -> bool:
    if finding.value is None or than is None:
        return False
    return finding.value > than if finding.direction == "above" else finding.value < than


def record(f: Finding, now: datetime, result: Evaluated) -> None:
    """Open, bump or reopen the alert for ``f.key``."""
    message = english(f.template, f.params) if f.template else f.message
    alert = db.session.scalar(select(Alert).where(Alert.key == f.key))
    if alert is None:
        db.session.add(
            Alert(
                key=f.key,
                kind=f.kind,
                group_id=f.group_id,
                survey_id=f.survey_id,
                segment=f.segment,
                metric=f.metric,
                period=f.period,
                direction=f.direction,
                value=f.value,
                baseline=f.baseline,
                threshold=f.threshold,
                n=f.n,
                message=message,
                template=f.template,
                params=f.params,
                status="open",
                count=1,
                opened_at=now,
                last_seen_at=now,
            )
        )
        db.session.flush()
        result.opened += 1
        return
    if alert.period == f.period and alert.value == f.value:
        return  # the same period, seen again on the next run: nothing new to say
    reopen = (alert.status == "acknowledged" and worse(f, alert.acknowledged_value)) or (
        alert.status == "resolved" and f.period > alert.period
    )
    if alert.status == "open" or reopen:
        alert.count += 1
        alert.last_seen_at = now
        alert.period, alert.value, alert.n = f.period, f.value, f.n
        alert.baseline, alert.threshold, alert.message = f.baseline, f.threshold, message
        alert.template, alert.params = f.template, f.params
        if reopen:
            alert.status, alert.status_changed_at, alert.notified_at = "open", now, None
            result.reopened += 1
        else:
            result.repeated += 1
