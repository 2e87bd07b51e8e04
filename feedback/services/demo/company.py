"""A demo company whose data has the shapes real data has, so every report has something to show.

Planted on purpose, for the analysis to find: the online share grows through the year
while each channel improves (a Simpson reversal overall), top-tier customers answer
more often (non-response bias), a delivery incident in the South during one whole
calendar month four months before the present (August, for a demo built in December),
one store whose scores are too good to be true, and a few lapsed customers whose
answers are too few to report (a suppressed "inactive" tier).

Everything is placed relative to ``now``, and the incident on calendar months, so the same
findings appear whatever day the demo is built (``feedback demo --now``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
from flask import current_app
from scipy import stats
from sqlalchemy import insert, select, update

from analysis.tiers import pyramid
from feedback.extensions import db
from feedback.models import (
    Answer,
    Customer,
    Invitation,
    Purchase,
    PurchaseItem,
    Response,
)
from feedback.models.segments import period_of
from feedback.models.types import utcnow
from feedback.services import tokens
from feedback.services.demo import comments, staff
from feedback.services.demo.phrases import FIRST_NAMES, LAST_NAMES, TIME_ZONES
from feedback.services.demo.staff import DEMO_PASSWORD
from feedback.services.design import catalog, designing
from feedback.services.errors import NotFound
from feedback.services.insights import collect
from feedback.services.intake import tiers as tier_service
from surveys.templates import transactional_nps

SURVEY_KEY = "transactional-nps"
LOCALES, LOCALE_P = ("en", "fa", "ar", "ru"), (0.45, 0.25, 0.15, 0.15)
REGIONS, REGION_SHIFT = ("North", "South", "East", "West", "Central"), (0.05, -0.25, 0.0, -0.05, 0.15)
CATEGORIES = ("electronics", "home", "apparel", "grocery")
CATEGORY_PRICE = {"electronics": 5.2, "home": 4.3, "apparel": 3.9, "grocery": 3.2}  # log-mean
STORES = tuple(f"S{i:02d}" for i in range(1, 9))
GAMED_STORE = "S08"
CHANNEL_SHIFT = {"store": 0.7, "phone": 0.1, "online": -0.5}
TIER_SHIFT = {"top": 0.2, "big": 0.15, "medium": 0.05, "small": 0.0}
TIER_RESPONSE = {"top": 1.6, "big": 1.35, "medium": 1.1, "small": 1.0}
# A typical post-purchase score mix (NPS about +18): the probit thresholds come from it.
BASE_MIX = np.array([0.04, 0.015, 0.02, 0.025, 0.03, 0.07, 0.06, 0.12, 0.19, 0.17, 0.26])
THRESHOLDS = stats.norm.ppf(np.cumsum(BASE_MIX)[:-1])
FATIGUE_DAYS, DELAY, EXPIRY = 14, timedelta(hours=24), timedelta(days=14)
INCIDENT_REGION, INCIDENT_MONTHS_AGO, INCIDENT_SHIFT = "South", 4, 1.6


def incident_month(now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the UTC calendar month of the delivery incident: four months before ``now``'s."""
    now = now.astimezone(UTC)
    index = now.year * 12 + now.month - 1 - INCIDENT_MONTHS_AGO
    start = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
    return start, datetime((index + 1) // 12, (index + 1) % 12 + 1, 1, tzinfo=UTC)


@dataclass
class DemoSummary:
    customers: int = 0
    purchases: int = 0
    invitations: int = 0
    responses: int = 0
    skipped: bool = False
    users: list[tuple[str, str]] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def is_loaded() -> bool:
    try:
        catalog.find_survey(SURVEY_KEY)
    except NotFound:
        return False
    return True


def load(
    responses: int = 3000,
    *,
    seed: int = 7,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Create the demo company. ``responses`` is the number of answered surveys to make."""
    if responses < 0:
        raise ValueError("responses must be 0 or more")
    step = progress or (lambda _msg: None)
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    now = now.astimezone(UTC)
    rng = np.random.default_rng(seed)
    summary = DemoSummary()
    step("staff accounts")
    summary.users = staff.users()
    step("survey")
    survey = designing.create_published(transactional_nps(), activate=True)
    version = catalog.live_version(survey.id)
    questions = {q.key: q.id for q in version.questions}
    n_customers = max(120, responses // 3)
    step("customers")
    customers = _customers(rng, n_customers, now)
    step("purchases")
    purchases = _purchases(rng, customers, int(responses * 8) + 100, now)
    step("value tiers")
    tiers = _tiers(customers, purchases, now)
    step("invitations and responses")
    inv_rows, resp_plan = _invitations(rng, survey.id, version.id, customers, purchases, tiers, now)
    inv_ids = _insert(Invitation, inv_rows)
    keep = _trim(rng, resp_plan, responses)
    _responses(
        rng, survey.id, version.id, questions, keep, inv_ids, customers, purchases, tiers, incident_month(now)
    )
    _touch_customers(inv_rows, keep, customers)
    db.session.commit()
    step("comments and themes")
    staff.join_groups()
    collect.collect()
    summary.customers, summary.purchases = len(customers), len(purchases)
    summary.invitations, summary.responses = len(inv_rows), len(keep)
    return summary


def open_link() -> str | None:
    """The personal link of one sent, unanswered, unexpired demo invitation (for `make serve`)."""
    now = utcnow()
    nonce = db.session.scalar(
        select(Invitation.token_nonce)
        .where(
            Invitation.status == "sent",
            Invitation.token_nonce.is_not(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.sent_at.desc())
        .limit(1)
    )
    if nonce is None:
        return None
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/s/{tokens.link_token(nonce)}"


def _insert(model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    # executemany needs every row to carry the same keys.
    keys = {k for row in rows for k in row if not k.startswith("_")}
    rows = [{k: row.get(k) for k in keys} for row in rows]
    table = model.__table__
    # Core, not the ORM's bulk path: one multi-row INSERT ... RETURNING per batch.
    result = db.session.connection().execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


def _customers(rng, n: int, now: datetime) -> list[dict]:
    locales = rng.choice(LOCALES, size=n, p=LOCALE_P)
    regions = rng.choice(REGIONS, size=n)
    has_email, has_phone, opted = rng.random(n) < 0.95, rng.random(n) < 0.7, rng.random(n) < 0.04
    picks = rng.integers(0, 10, size=(n, 2))
    stamp = now - timedelta(days=30)
    rows = []
    for i in range(n):
        loc = str(locales[i])
        email = f"customer{i}@example.com" if has_email[i] else None
        rows.append(
            {
                "external_id": f"C{10000 + i}",
                "name": f"{FIRST_NAMES[loc][picks[i, 0]]} {LAST_NAMES[loc][picks[i, 1]]}",
                "email": email,
                "email_normalized": email,
                "phone": f"+4477009{i:05d}" if has_phone[i] or not has_email[i] else None,
                "locale": loc,
                "time_zone": TIME_ZONES[loc],
                "properties": {"region": str(regions[i])},
                "opted_out_at": stamp if opted[i] else None,
            }
        )
    for row, ident in zip(rows, _insert(Customer, rows), strict=True):
        row["id"] = ident
    return rows


def _purchases(rng, customers: list[dict], count: int, now: datetime) -> list[dict]:
    weights = rng.lognormal(0.0, 0.7, len(customers))
    # A few customers last bought over a year ago: "inactive" in the value pyramid, and too
    # few of them answered to report on, so a report by tier shows a suppressed segment.
    lapsed = rng.choice(len(customers), size=max(2, len(customers) // 80), replace=False)
    weights[lapsed] = 0.0
    old = len(lapsed) * 3 // 2
    owner = np.concatenate(
        [rng.choice(lapsed, size=old), rng.choice(len(customers), size=count, p=weights / weights.sum())]
    )
    age_days = np.concatenate(
        [np.sort(rng.uniform(366.0, 395.0, old))[::-1], np.sort(rng.uniform(0.2, 365.0, count))[::-1]]
    )
    count += old
    p_online = 0.12 + 0.68 * (1.0 - age_days / 365.0)
    draw = rng.random(count)
    channels = np.where(draw < p_online, "online", np.where(draw < 0.9, "store", "phone"))
    categories = rng.choice(CATEGORIES, size=count, p=(0.3, 0.25, 0.25, 0.2))
    stores = rng.choice(STORES, size=count)
    log_mean = np.array([CATEGORY_PRICE[c] for c in categories])
    amounts = np.round(rng.lognormal(log_mean, 0.6), 2)
    ship_days = rng.integers(1, 6, size=count)
    skus = rng.integers(100, 999, size=count)
    rows, items = [], []
    for k in range(count):
        channel, category = str(channels[k]), str(categories[k])
        bought = now - timedelta(days=float(age_days[k]))
        delivered = bought if channel == "store" else bought + timedelta(days=int(ship_days[k]))
        amount = Decimal(f"{amounts[k]:.2f}")
        rows.append(
            {
                "external_id": f"D{100000 + k}",
                "customer_id": customers[owner[k]]["id"],
                "amount": amount,
                "currency": "USD",
                "channel": channel,
                "properties": {"store": str(stores[k])} if channel == "store" else {},
                "purchased_at": bought,
                "delivered_at": delivered if delivered < now else None,
                "_owner": int(owner[k]),
                "_category": category,
            }
        )
        items.append(
            {
                "sku": f"{category[:3].upper()}-{skus[k]}",
                "name": f"{category.title()} item",
                "category": category,
                "quantity": 1,
                "unit_price": amount,
            }
        )
    for row, item, ident in zip(rows, items, _insert(Purchase, rows), strict=True):
        row["id"] = item["purchase_id"] = ident
    _insert(PurchaseItem, items)
    return rows


def _tiers(customers: list[dict], purchases: list[dict], now: datetime) -> list[str]:
    revenue = np.zeros(len(customers))
    ever = np.zeros(len(customers), bool)
    for p in purchases:
        ever[p["_owner"]] = True
        if p["purchased_at"] > now - timedelta(days=365):
            revenue[p["_owner"]] += float(p["amount"])
    tiers = pyramid(revenue, ever)
    tier_service.store_cutoffs(list(revenue), tiers, now)
    for tier_name in set(tiers):
        ids = [c["id"] for c, t in zip(customers, tiers, strict=True) if t == tier_name]
        for chunk in range(0, len(ids), 500):
            db.session.execute(
                update(Customer).where(Customer.id.in_(ids[chunk : chunk + 500])).values(tier=tier_name)
            )
    return tiers


def _invitations(rng, survey_id, version_id, customers, purchases, tiers, now):
    rows, plan = [], []
    last_invited: dict[int, datetime] = {}
    for p in purchases:
        c = customers[p["_owner"]]
        row = {
            "survey_id": survey_id,
            "version_id": version_id,
            "customer_id": c["id"],
            "purchase_id": p["id"],
            **_segments(p, c, tiers[p["_owner"]]),
            "locale": c["locale"],
            "sample_draw": float(rng.random()),
            # A nonce, as the scheduler makes them, so a demo link can be shown to a newcomer.
            "token_nonce": (nonce := secrets.token_hex(16)),
            "token_hash": tokens.digest(tokens.link_token(nonce)),
            "attempts": 0,
        }
        send_at = p["purchased_at"] + DELAY
        previous = last_invited.get(c["id"])
        reason = (
            "opted_out"
            if c["opted_out_at"]
            else "no_contact"
            if not (c["email"] or c["phone"])
            else "fatigue"
            if previous and send_at - previous < timedelta(days=FATIGUE_DAYS)
            else None
        )
        if reason:
            row.update(status="suppressed", suppression_reason=reason, token_hash=None, token_nonce=None)
        elif send_at > now:
            row.update(
                status="scheduled",
                send_at=send_at,
                channel="email" if c["email"] else "sms",
                expires_at=send_at + EXPIRY,
            )
        else:
            last_invited[c["id"]] = send_at
            row.update(
                status="expired" if send_at + EXPIRY < now else "sent",
                send_at=send_at,
                sent_at=send_at,
                period=period_of(send_at),
                channel="email" if c["email"] else "sms",
                attempts=1,
                expires_at=send_at + EXPIRY,
                reminder_at=send_at + timedelta(days=3),
            )
            tier = tiers[p["_owner"]]
            p_answer = 0.3 * TIER_RESPONSE.get(tier, 1.0) * (1.1 if p["channel"] == "store" else 1.0)
            delay = timedelta(hours=float(rng.exponential(10.0)))
            if rng.random() < p_answer and delay < EXPIRY and send_at + delay < now:
                plan.append((len(rows), p, send_at + delay))
        rows.append(row)
    return rows, plan


def _segments(p: dict, c: dict, tier: str) -> dict:
    """Segment columns as stored on invitations and responses."""
    return {
        "tier": tier,
        "sales_channel": p["channel"],
        "region": c["properties"]["region"],
        "category": p["_category"],
        "store": p["properties"].get("store"),
    }


def _trim(rng, plan: list, wanted: int) -> list:
    if len(plan) <= wanted:
        return plan
    chosen = np.sort(rng.choice(len(plan), size=wanted, replace=False))
    return [plan[i] for i in chosen]


def _score(rng, p: dict, customer: dict, tier: str, year_frac: float, incident: bool) -> int:
    if p["properties"].get("store") == GAMED_STORE and rng.random() < 0.9:
        return 10
    region = customer["properties"]["region"]
    shift = (
        CHANNEL_SHIFT[p["channel"]]
        + 0.45 * year_frac
        + TIER_SHIFT.get(tier, 0.0)
        + REGION_SHIFT[REGIONS.index(region)]
    )
    if incident:
        shift -= INCIDENT_SHIFT
    return int(np.searchsorted(THRESHOLDS, rng.normal(shift, 1.0)))


def _responses(rng, survey_id, version_id, questions, plan, inv_ids, customers, purchases, tiers, incident):
    first = purchases[0]["purchased_at"] if purchases else incident[0]
    span = max((purchases[-1]["purchased_at"] - first).total_seconds(), 1.0) if purchases else 1.0
    rows, answers = [], []
    # Comments draw from their own stream, so what customers write never moves their scores.
    words = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])
    for inv_index, p, answered_at in plan:
        c, tier = customers[p["_owner"]], tiers[p["_owner"]]
        frac = (p["purchased_at"] - first).total_seconds() / span
        hit = _in_incident(p, c, answered_at, incident)
        score = _score(rng, p, c, tier, frac, hit)
        rows.append(
            {
                "survey_id": survey_id,
                "version_id": version_id,
                "invitation_id": inv_ids[inv_index],
                "customer_id": c["id"],
                "source": "invitation",
                "locale": c["locale"],
                "status": "complete",
                "page": 2,
                "started_at": answered_at,
                "submitted_at": answered_at,
                **_segments(p, c, tier),
                "period": period_of(answered_at),
            }
        )
        answers.append((score, comments.comment(rng, words, score, p, c, hit)))
    response_ids = _insert(Response, rows)
    answer_rows = []
    for rid, (score, comment) in zip(response_ids, answers, strict=True):
        answer_rows.append({"response_id": rid, "question_id": questions["nps"], "number": float(score)})
        if comment:
            answer_rows.append({"response_id": rid, "question_id": questions["reason"], "text": comment})
    _insert(Answer, answer_rows)
    if plan:
        db.session.execute(
            update(Invitation),
            [{"id": inv_ids[i], "status": "responded", "responded_at": at} for i, _p, at in plan],
        )


def _in_incident(p: dict, c: dict, answered_at: datetime, incident: tuple[datetime, datetime]) -> bool:
    """Delivered orders in the incident region, answered during the incident month."""
    start, end = incident
    delivered = p["channel"] != "store"
    return c["properties"]["region"] == INCIDENT_REGION and delivered and start <= answered_at < end


def _touch_customers(inv_rows, plan, customers) -> None:
    last_sent: dict[int, datetime] = {}
    for row in inv_rows:
        if row.get("sent_at"):
            cid = row["customer_id"]
            last_sent[cid] = max(row["sent_at"], last_sent.get(cid, row["sent_at"]))
    last_resp = {}
    for _i, p, answered_at in plan:
        cid = customers[p["_owner"]]["id"]
        last_resp[cid] = max(answered_at, last_resp.get(cid, answered_at))
    if last_sent:
        db.session.execute(
            update(Customer),
            [
                {"id": cid, "last_invited_at": sent, "last_responded_at": last_resp.get(cid)}
                for cid, sent in last_sent.items()
            ],
        )
