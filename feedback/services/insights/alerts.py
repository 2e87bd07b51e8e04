"""Alerts that explain themselves: what moved, by how much, against which limit, with n.

An alert opens when:

- a theme's share of a group's comments in a region rises above its p-chart's 3-sigma upper
  limit in a month (``theme_share``, to the groups the theme is routed to);
- NPS or CSAT in a region falls outside its control limits in a month (``score``, to
  management), from the results function's own charts;
- the results warn of a gamed store or a Simpson reversal (``gaming``, ``simpson``);
- answers stop: invitations went out but nobody answered for two days (``silence``).

Only months in the last ``LOOKBACK_MONTHS`` count. A theme's month alerts only when the rise
is also large enough to matter (see ``_matters``); scores use the results' own minimum n.
Each alert has a key (rule, group, segment, metric): seeing it again bumps its count; an
acknowledged alert reopens when the metric gets worse than when it was acknowledged, a
resolved one when a later month signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Alert, Invitation, Response, StaffUser, StakeholderGroup, Survey
from feedback.models.cases import ALERT_STATES
from feedback.models.types import utcnow
from feedback.services import audit
from feedback.services.errors import NotFound, ValidationFailed
from feedback.services.insights import dashboard, groups, notify
from feedback.services.reports import results

LOOKBACK_MONTHS = 6
MIN_COMMENTS = 20
MIN_COMPLAINTS = 5
MIN_RISE = 10.0  # percentage points
SILENCE_HOURS = 48
MIN_SILENT_INVITATIONS = 20
REGION = "region"
PAGE = 100


@dataclass
class Finding:
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
    message: str


@dataclass
class Evaluated:
    opened: int = 0
    repeated: int = 0
    reopened: int = 0

    def summary(self) -> str:
        return f"{self.opened} alerts opened, {self.reopened} reopened, {self.repeated} seen again"


def evaluate(now: datetime | None = None) -> Evaluated:
    """Look at every live survey and open, bump or reopen alerts."""
    now = now or utcnow()
    groups.ensure_defaults()
    result = Evaluated()
    by_slug = {g.slug: g for g in groups.all_groups()}
    management = by_slug.get("management")
    routes = groups.routes()
    since = _months_back(now, LOOKBACK_MONTHS)
    answered = select(Response.survey_id).distinct()
    for survey in db.session.scalars(select(Survey).where(Survey.id.in_(answered)).order_by(Survey.id)):
        findings = _theme_shares(survey, routes, by_slug, since)
        findings += _scores_and_warnings(survey, management, since)
        findings += _silence(survey, management, now)
        for finding in findings:
            _record(finding, now, result)
    db.session.commit()
    return result


def _months_back(now: datetime, months: int) -> str:
    year, month = now.year, now.month - months
    while month <= 0:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


def _regions(survey_id: int) -> list[str]:
    return [
        r
        for r in db.session.scalars(
            select(Response.region)
            .where(Response.survey_id == survey_id, Response.region.is_not(None))
            .distinct()
        )
        if r
    ]


def _theme_shares(survey: Survey, routes: dict, by_slug: dict, since: str) -> list[Finding]:
    out = []
    for region in _regions(survey.id):
        trend = dashboard.theme_trend(survey.id, list(routes), None, None, {REGION: region})
        for code, points in trend["series"].items():
            owners = [by_slug[s] for s in routes.get(code, []) if s in by_slug]
            for p in points:
                if p.get("signal") != "above" or p["period"] < since or not _matters(p):
                    continue
                for group in owners[:1] or []:
                    out.append(
                        Finding(
                            key=f"theme_share:{group.slug}:{REGION}={region}:{code}",
                            kind="theme_share",
                            group_id=group.id,
                            survey_id=survey.id,
                            segment=f"{REGION}={region}",
                            metric=code,
                            period=p["period"],
                            direction="above",
                            value=p["value"],
                            baseline=p["centre"],
                            threshold=p["upper"],
                            n=p["n"],
                            message=gettext(
                                "%(theme)s complaints in %(segment)s rose to %(value)s%% of comments in "
                                "%(period)s (%(k)s of n = %(n)s), above the 3-sigma limit of %(limit)s%%; "
                                "the usual share is %(centre)s%%.",
                                theme=code.replace("_", " ").capitalize(),
                                segment=region,
                                value=f"{p['value']:.0f}",
                                period=p["period"],
                                k=p["k"],
                                n=p["n"],
                                limit=f"{p['upper']:.0f}",
                                centre=f"{p['centre']:.0f}",
                            ),
                        )
                    )
    return out


def _matters(p: dict) -> bool:
    """Beyond the limit is not enough with few comments: the month needs MIN_COMMENTS comments,
    MIN_COMPLAINTS of them on the theme, and a share at least MIN_RISE points above the usual
    one and at least twice it."""
    return (
        p["n"] >= MIN_COMMENTS
        and p["k"] >= MIN_COMPLAINTS
        and p["value"] >= p["centre"] + MIN_RISE
        and p["value"] >= 2 * p["centre"]
    )


def _scores_and_warnings(survey: Survey, management, since: str) -> list[Finding]:
    data = results.build(survey, by=REGION)
    group_id = management.id if management else None
    out = []
    for a in data.get("alerts", []):
        if a.get("by") != REGION or a.get("period", "") < since or not a.get("segment"):
            continue
        below = a.get("signal") == "below"
        limit = a["lower"] if below else a["upper"]
        out.append(
            Finding(
                key=f"score:management:{REGION}={a['segment']}:{a['metric']}",
                kind="score",
                group_id=group_id,
                survey_id=survey.id,
                segment=f"{REGION}={a['segment']}",
                metric=a["metric"],
                period=a["period"],
                direction=a["signal"],
                value=a["value"],
                baseline=a.get("centre"),
                threshold=limit,
                n=int(a.get("n", 0)),
                message=gettext(
                    "%(metric)s in %(segment)s was %(value)s in %(period)s (n = %(n)s), %(side)s its "
                    "control limit of %(limit)s; the usual level is %(centre)s.",
                    metric=a["metric"].upper(),
                    segment=a["segment"],
                    value=f"{a['value']:+.0f}" if a["metric"] == "nps" else f"{a['value']:.0f}%",
                    period=a["period"],
                    n=a.get("n", 0),
                    side=gettext("below") if below else gettext("above"),
                    limit=f"{limit:+.0f}" if a["metric"] == "nps" else f"{limit:.0f}%",
                    centre=f"{a.get('centre', 0):+.0f}"
                    if a["metric"] == "nps"
                    else f"{a.get('centre', 0):.0f}%",
                ),
            )
        )
    # A gamed store shows only in the breakdown by store.
    by_store = results.build(survey, by="store")
    warnings = [w for w in data.get("warnings", []) if w.get("code") != "gaming_suspected"]
    warnings += [w for w in by_store.get("warnings", []) if w.get("code") == "gaming_suspected"]
    for w in warnings:
        if w.get("code") == "gaming_suspected":
            store = str(w.get("segment") or w.get("details", {}).get("segment") or "")
            kind = "gaming"
        elif w.get("code") == "simpson_reversal":
            store, kind = "", "simpson"
        else:
            continue
        out.append(
            Finding(
                key=f"{kind}:management:{store}:{w.get('metric', '')}",
                kind=kind,
                group_id=group_id,
                survey_id=survey.id,
                segment=store,
                metric=str(w.get("metric", "")),
                period="",
                direction="",
                value=None,
                baseline=None,
                threshold=None,
                n=int(w.get("n", 0) or 0),
                message=str(w.get("message", "")),
            )
        )
    return out


def _silence(survey: Survey, management, now: datetime) -> list[Finding]:
    """Invitations went out two to four days ago and nobody has answered for two days, though
    answers came before: a broken link or a failed channel."""
    quiet_from = now - timedelta(hours=SILENCE_HOURS)
    sent = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.survey_id == survey.id,
            Invitation.sent_at >= now - timedelta(hours=2 * SILENCE_HOURS),
            Invitation.sent_at < quiet_from,
        )
    )
    if (sent or 0) < MIN_SILENT_INVITATIONS:
        return []
    recent = db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.submitted_at >= quiet_from)
    )
    before = db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.submitted_at < quiet_from)
    )
    if recent or not before:
        return []
    return [
        Finding(
            key=f"silence:management::{survey.id}",
            kind="silence",
            group_id=management.id if management else None,
            survey_id=survey.id,
            segment="",
            metric="responses",
            period="",
            direction="below",
            value=0,
            baseline=None,
            threshold=None,
            n=int(sent),
            message=gettext(
                "No answers to %(survey)s for %(hours)s hours, though %(n)s invitations went out before "
                "that: check the survey link and the sending channel.",
                survey=survey.name,
                hours=SILENCE_HOURS,
                n=sent,
            ),
        )
    ]


def _worse(finding: Finding, than: float | None) -> bool:
    if finding.value is None or than is None:
        return False
    return finding.value > than if finding.direction == "above" else finding.value < than


def _record(f: Finding, now: datetime, result: Evaluated) -> None:
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
                message=f.message,
                status="open",
                count=1,
                opened_at=now,
                last_seen_at=now,
            )
        )
        db.session.flush()
        result.opened += 1
        return
    same = alert.period == f.period and alert.value == f.value
    if same:
        return  # the same month, seen again on the next run: nothing new to say
    reopen = (alert.status == "acknowledged" and _worse(f, alert.acknowledged_value)) or (
        alert.status == "resolved" and f.period > alert.period
    )
    if alert.status == "open" or reopen:
        alert.count += 1
        alert.last_seen_at = now
        alert.period, alert.value, alert.n = f.period, f.value, f.n
        alert.baseline, alert.threshold, alert.message = f.baseline, f.threshold, f.message
        if reopen:
            alert.status, alert.status_changed_at, alert.notified_at = "open", now, None
            result.reopened += 1
        else:
            result.repeated += 1


# -- reading and acting -------------------------------------------------------------------


def listing(status: str | None, group: str | None, page: int = 1) -> dict[str, Any]:
    errors = []
    if status not in (None, "", *ALERT_STATES):
        errors.append(("status", f"choose one of: {', '.join(ALERT_STATES)}"))
    group_id = None
    if group:
        found = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.slug == group))
        if found is None:
            errors.append(("group", f"no group {group[:40]!r}"))
        else:
            group_id = found.id
    if errors:
        raise ValidationFailed(errors)
    query = select(Alert, StakeholderGroup.slug).outerjoin(
        StakeholderGroup, StakeholderGroup.id == Alert.group_id
    )
    if status:
        query = query.where(Alert.status == status)
    if group_id is not None:
        query = query.where(Alert.group_id == group_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Alert.last_seen_at.desc(), Alert.id.desc())
        .limit(PAGE)
        .offset((max(page, 1) - 1) * PAGE)
    ).all()
    return {"total": total, "items": [public(a, slug) for a, slug in rows], "page": page, "per_page": PAGE}


def for_group(group: StakeholderGroup) -> list[dict[str, Any]]:
    """The group's alerts that are not resolved, newest first (management: everyone's)."""
    query = select(Alert, StakeholderGroup.slug).outerjoin(
        StakeholderGroup, StakeholderGroup.id == Alert.group_id
    )
    query = query.where(Alert.status != "resolved")
    if not group.sees_everything:
        query = query.where(Alert.group_id == group.id)
    rows = db.session.execute(query.order_by(Alert.last_seen_at.desc(), Alert.id.desc()).limit(20)).all()
    return [public(a, slug) for a, slug in rows]


def public(alert: Alert, slug: str | None) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": alert.kind,
        "group": slug,
        "segment": alert.segment,
        "metric": alert.metric,
        "period": alert.period,
        "message": alert.message,
        "value": alert.value,
        "baseline": alert.baseline,
        "limit": alert.threshold,
        "n": alert.n,
        "opened_at": alert.opened_at,
        "last_seen_at": alert.last_seen_at,
        "status": alert.status,
        "count": alert.count,
    }


def get(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def set_status(alert_id: int, status: str, actor: StaffUser | None, now: datetime | None = None) -> Alert:
    if status not in ALERT_STATES:
        raise ValidationFailed([("status", f"choose one of: {', '.join(ALERT_STATES)}")])
    alert = get(alert_id)
    now = now or utcnow()
    if status != alert.status:
        alert.status, alert.status_changed_at = status, now
        if status == "acknowledged":
            alert.acknowledged_value = alert.value
        audit.record("alert." + status, actor=actor, actor_type=None if actor else "api", target=alert)
    db.session.commit()
    return alert


def notify_open(now: datetime | None = None, sender=None) -> int:
    """E-mail each newly opened or reopened alert to its group's members."""
    alerts = db.session.scalars(
        select(Alert).where(Alert.status == "open", Alert.notified_at.is_(None)).order_by(Alert.id).limit(200)
    ).all()
    if not alerts:
        return 0
    now = now or utcnow()
    sender = sender or notify.sender()
    sent = 0
    for alert in alerts:
        group = db.session.get(StakeholderGroup, alert.group_id) if alert.group_id else None
        delivered = True
        for user in groups.members(group) if group else []:
            if not user.is_active:
                continue
            with force_locale(user.locale or "en"):
                subject = gettext(
                    "Alert for %(group)s: %(what)s", group=group.name, what=alert.metric.replace("_", " ")
                )
            if notify.mail(sender, user, subject, alert.message, f"/staff/alerts#alert-{alert.id}"):
                sent += 1
            else:
                delivered = False
                break
        if delivered:
            alert.notified_at = now
    db.session.commit()
    return sent
