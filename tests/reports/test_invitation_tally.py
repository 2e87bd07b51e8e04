"""The invitation tally stays equal to the invitations it summarises, whatever changes them.

Reports read the population of whole days from ``invitation_tally``, which database
triggers maintain. These tests change invitations in every way the application does
(ORM inserts, Core status updates, segment edits, deletes and cascades) in a seeded
random order, and after each step compare the tally and the population counts with a
count made in Python from the invitations themselves.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

import pytest

SENT = ("sent", "responded", "expired")
STATUSES = ("scheduled", "suppressed", "sent", "failed", "responded", "expired", "cancelled")
TIERS = ("top", "big", "small", None, "")
REGIONS = ("North", "South", None)
START = datetime(2026, 3, 1, tzinfo=UTC)
TEHRAN = timezone(timedelta(hours=3, minutes=30))


@pytest.fixture
def survey(ctx):
    from feedback.services.design import designing
    from surveys.templates import transactional_nps

    return designing.create_published(transactional_nps(("en",)))


def _moment(rng: random.Random) -> datetime | None:
    if rng.random() < 0.1:
        return None
    # Near midnight on purpose, sometimes written in a non-UTC zone: the day is the UTC day.
    at = START + timedelta(days=rng.randrange(6), hours=rng.choice([0, 1, 22, 23]), minutes=rng.randrange(60))
    return at.astimezone(TEHRAN) if rng.random() < 0.3 else at


def _cells_from_invitations(survey_id: int) -> Counter:
    from sqlalchemy import select

    from feedback.extensions import db
    from feedback.models import Invitation

    out: Counter = Counter()
    rows = db.session.execute(select(Invitation).where(Invitation.survey_id == survey_id)).scalars()
    for inv in rows:
        if inv.status in SENT and inv.sent_at is not None:
            cell = (
                inv.sent_at.astimezone(UTC).date(),
                inv.tier or "",
                inv.sales_channel or "",
                inv.region or "",
                inv.category or "",
                inv.locale or "",
            )
            out[(cell, "invited")] += 1
            out[(cell, "responded")] += inv.status == "responded"
    return +out


def _cells_from_tally(survey_id: int) -> Counter:
    from sqlalchemy import select

    from feedback.extensions import db
    from feedback.models import InvitationTally as T

    out: Counter = Counter()
    for row in db.session.execute(select(T).where(T.survey_id == survey_id)).scalars():
        cell = (row.day, row.tier, row.sales_channel, row.region, row.category, row.locale)
        out[(cell, "invited")] += row.invited
        out[(cell, "responded")] += row.responded
    return +out


def _population_by_hand(survey_id: int, start, end) -> tuple[int, int, dict]:
    from sqlalchemy import select

    from feedback.extensions import db
    from feedback.models import Invitation

    invited = responded = 0
    by_tier: Counter = Counter()
    for inv in db.session.execute(select(Invitation).where(Invitation.survey_id == survey_id)).scalars():
        if inv.status not in SENT or inv.sent_at is None:
            continue
        if (start and inv.sent_at < start) or (end and inv.sent_at >= end):
            continue
        invited += 1
        responded += inv.status == "responded"
        by_tier[inv.tier or "(none)"] += 1
    return invited, responded, dict(by_tier)


def _check(survey_id: int, rng: random.Random) -> None:
    from feedback.extensions import db
    from feedback.services.reports import aggregates

    db.session.expire_all()
    assert _cells_from_tally(survey_id) == _cells_from_invitations(survey_id)
    windows = [(None, None), (START + timedelta(days=2), None), (None, START + timedelta(days=3))]
    for _ in range(3):  # windows whose ends fall inside a day, so the edges are counted live
        a = START + timedelta(hours=rng.randrange(0, 150), minutes=rng.randrange(60))
        windows.append((a, a + timedelta(hours=rng.randrange(1, 80))))
    for start, end in windows:
        pop = aggregates.population(survey_id, aggregates.Window(start, end))
        invited, responded, by_tier = _population_by_hand(survey_id, start, end)
        assert (pop.invited, pop.responded) == (invited, responded), (start, end)
        assert {k: v for k, v in pop.invited_by["tier"].items() if v} == by_tier


def test_tally_follows_every_kind_of_change(survey):
    from sqlalchemy import delete, update

    from feedback.extensions import db
    from feedback.models import Customer, Invitation

    rng = random.Random(11)
    customers = [Customer(external_id=f"c{i}", locale="en") for i in range(8)]
    db.session.add_all(customers)
    db.session.commit()
    ids: list[int] = []
    for step in range(60):
        action = rng.choice(["insert", "insert", "status", "core_status", "segment", "resend", "delete"])
        if action == "insert" or not ids:
            inv = Invitation(
                survey_id=survey.id,
                customer_id=rng.choice(customers).id,
                status=rng.choice(STATUSES),
                locale=rng.choice(["en", "fa"]),
                tier=rng.choice(TIERS),
                region=rng.choice(REGIONS),
            )
            inv.sent_at = _moment(rng)
            db.session.add(inv)
            db.session.commit()
            ids.append(inv.id)
        elif action == "status":
            inv = db.session.get(Invitation, rng.choice(ids))
            inv.status = rng.choice(STATUSES)
            db.session.commit()
        elif action == "core_status":  # how answering and expiry change invitations: plain UPDATEs
            chosen = rng.sample(ids, min(3, len(ids)))
            db.session.execute(
                update(Invitation).where(Invitation.id.in_(chosen)).values(status=rng.choice(SENT))
            )
            db.session.commit()
        elif action == "segment":
            inv = db.session.get(Invitation, rng.choice(ids))
            inv.tier, inv.region = rng.choice(TIERS), rng.choice(REGIONS)
            db.session.commit()
        elif action == "resend":  # moves the invitation to another day
            inv = db.session.get(Invitation, rng.choice(ids))
            inv.sent_at = _moment(rng)
            db.session.commit()
        else:
            gone = ids.pop(rng.randrange(len(ids)))
            db.session.execute(delete(Invitation).where(Invitation.id == gone))
            db.session.commit()
        if step % 6 == 5:
            _check(survey.id, rng)
    _check(survey.id, rng)
    assert _cells_from_tally(survey.id), "the random walk should leave sent invitations behind"


def test_tally_follows_cascades_and_the_answering_path(survey):
    from sqlalchemy import select

    from feedback.extensions import db
    from feedback.models import Customer, Invitation, InvitationTally, Survey

    keep, leave = Customer(external_id="keep"), Customer(external_id="leave")
    db.session.add_all([keep, leave])
    db.session.commit()
    for customer, n in ((keep, 3), (leave, 2)):
        for _ in range(n):
            db.session.add(
                Invitation(survey_id=survey.id, customer_id=customer.id, status="sent", sent_at=START)
            )
    db.session.commit()
    tally = db.session.scalars(select(InvitationTally)).one()
    assert (tally.invited, tally.responded) == (5, 0)

    first = db.session.scalars(select(Invitation).where(Invitation.customer_id == keep.id)).first()
    first.status = "responded"
    db.session.commit()
    db.session.refresh(tally)
    assert (tally.invited, tally.responded) == (5, 1)

    db.session.delete(leave)  # an erased customer's invitations leave the population
    db.session.commit()
    db.session.refresh(tally)
    assert (tally.invited, tally.responded) == (3, 1)

    db.session.delete(db.session.get(Survey, survey.id))
    db.session.commit()
    assert db.session.scalars(select(InvitationTally)).all() == []


def test_results_population_matches_the_demo_invitations(ctx):
    """On the demo data the report's invited/responded equal a direct count of invitations."""
    from sqlalchemy import case, func, select

    from feedback.extensions import db
    from feedback.models import Invitation
    from feedback.services import demo
    from feedback.services.design import catalog
    from feedback.services.reports import results

    demo.load(300, seed=3)
    survey = catalog.find_survey("transactional-nps")
    data = results.build(survey)
    counted = db.session.execute(
        select(func.count(), func.sum(case((Invitation.status == "responded", 1), else_=0))).where(
            Invitation.survey_id == survey.id, Invitation.status.in_(SENT)
        )
    ).one()
    assert (data["invited"], data["responded"]) == (counted[0], counted[1])
    assert data["invited"] > data["responded"] > 0
