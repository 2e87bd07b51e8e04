"""POST /api/v1/purchases: validation, idempotency, and an answer for every survey."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.purchases import T0, purchase, survey


def test_every_bad_field_is_listed(api, app):
    body = {
        "id": "",
        "purchased_at": "yesterday",
        "amount": -5,
        "currency": "euro",
        "customer": {"email": "not-an-email", "phone": "12", "locale": "english", "time_zone": "Mars/Base"},
        "items": [{"quantity": 0}],
    }
    response = api.post("/purchases", body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {
        "id",
        "purchased_at",
        "amount",
        "currency",
        "items[0].quantity",
        "customer.id",
        "customer.email",
        "customer.phone",
        "customer.locale",
        "customer.time_zone",
    } <= fields


@pytest.mark.parametrize("body", [None, [], "text", {"customer": 5}])
def test_garbage_is_a_clear_error(api, body):
    response = (
        api.post("/purchases", body)
        if body is not None
        else api.client.post(
            "/api/v1/purchases", data="{{", content_type="application/json", headers=api.headers
        )
    )
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_a_purchase_schedules_and_a_repeat_changes_nothing(api, app):
    survey(app)
    first = api.post("/purchases", purchase("o-1", "c-1"))
    assert first.status_code == 201
    (invitation,) = first.get_json()["invitations"]
    assert invitation["status"] == "scheduled"
    assert invitation["send_at"] == (T0 + timedelta(hours=24)).isoformat()
    again = api.post("/purchases", purchase("o-1", "c-1"))
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation, OutboxJob, Purchase

        assert db.session.scalar(select(func.count()).select_from(Purchase)) == 1
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxJob)) == 1


def test_every_reason_is_reported(api, app):
    survey(app, filters={"channel": ["online"]}, sampling=0.5)
    api.post("/customers", {"id": "quiet", "email": "quiet@example.com", "opted_out": True})
    api.post(
        "/customers",
        {
            "id": "recent",
            "email": "recent@example.com",
            "last_invited_at": (T0 - timedelta(days=3)).isoformat(),
        },
    )
    reasons = {}
    cases = {
        "opted_out": purchase("p1", "quiet", channel="online"),
        "filtered": purchase("p2", "shopper", channel="store"),
        "stale": purchase("p3", "old", channel="online", purchased_at=(T0 - timedelta(days=60)).isoformat()),
        "no_contact": purchase("p4", "ghost", email=None, channel="online"),
        "fatigue": purchase("p5", "recent", channel="online"),
    }
    for expected, body in cases.items():
        answer = api.post("/purchases", body).get_json()
        reasons[expected] = answer["invitations"][0].get("reason")
    assert reasons == {k: k for k in cases}
    sampled = [
        api.post("/purchases", purchase(f"s{i}", f"c{i}", channel="online")).get_json()["invitations"][0]
        for i in range(200)
    ]
    out = sum(i.get("reason") == "sampled_out" for i in sampled)
    assert 70 < out < 130  # half sampled out, give or take chance


def test_customer_standing_pending_cancel_and_unsubscribe(api, app):
    survey(app)
    api.post("/purchases", purchase("o-9", "c-9"))
    standing = api.get("/customers/c-9").get_json()
    assert standing["next_invitation_at"] == (T0 + timedelta(hours=24)).isoformat()
    assert standing["opted_out"] is False
    assert api.delete("/customers/c-9/invitations/pending").get_json()["cancelled"] == 1
    assert api.get("/customers/c-9").get_json()["next_invitation_at"] is None
    future = api.post(
        "/purchases", purchase("o-11", "c-9", purchased_at=(T0 + timedelta(days=40)).isoformat())
    )
    assert future.get_json()["errors"] == [{"field": "purchased_at", "message": "is in the future"}]
    # The cancelled invitation does not count for fatigue, so a new purchase is scheduled again.
    assert (
        api.post("/purchases", purchase("o-10", "c-9")).get_json()["invitations"][0]["status"] == "scheduled"
    )
    out = api.post("/customers/c-9/unsubscribe", {}).get_json()
    assert out == {"customer": "c-9", "opted_out": True, "cancelled": 1}
    assert api.get("/customers/nobody").status_code == 404


def test_delivery_triggered_surveys_wait_for_the_delivery(api, app):
    survey(app, trigger="delivery")
    first = api.post("/purchases", purchase("d-1", "c-d")).get_json()
    assert first["invitations"] == [{"survey": "transactional-nps", "status": "waiting_for_delivery"}]
    delivered = api.post("/purchases/d-1/delivered", {"delivered_at": (T0 + timedelta(hours=1)).isoformat()})
    (inv,) = delivered.get_json()["invitations"]
    assert inv["status"] == "scheduled"
    assert inv["send_at"] == (T0 + timedelta(hours=25)).isoformat()
    early = api.post("/purchases/d-1/delivered", {"delivered_at": (T0 - timedelta(days=1)).isoformat()})
    assert early.status_code == 422  # delivered before it was bought
    again = api.post("/purchases/d-1/delivered", {"delivered_at": (T0 + timedelta(hours=1.5)).isoformat()})
    assert again.get_json()["invitations"] == delivered.get_json()["invitations"]  # nothing new
    assert api.post("/purchases/nope/delivered", {"delivered_at": T0.isoformat()}).status_code == 404


def test_import_of_past_invites_feeds_fatigue(api, app):
    survey(app, fatigue_days=30)
    created = api.post(
        "/customers",
        {"id": "x", "email": "x@example.com", "last_invited_at": (T0 - timedelta(days=10)).isoformat()},
    )
    assert created.status_code == 201
    assert api.post("/purchases", purchase("f1", "x")).get_json()["invitations"][0]["reason"] == "fatigue"


def test_api_clients_over_their_limit_get_429(app, api):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    statuses = [api.get("/surveys").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    limited = api.get("/surveys")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.mimetype == "application/problem+json"


def test_openapi_describes_every_endpoint(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    described = set(doc["paths"])
    import re

    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule.removeprefix("/api/v1"))
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1") and "openapi" not in r.rule and not r.rule.startswith("/api/v1/docs")
    }
    routes = {
        re.sub(r"\{(order_id|customer_id|survey_id|comment_id|case_id|alert_id)\}", "{id}", r) for r in routes
    }
    assert routes <= described


def test_a_first_time_buyer_gets_a_tier_at_once(api, app):
    """Before, a new customer stayed without a tier until `feedback tiers` ran."""
    from feedback.extensions import db
    from feedback.models import Customer, Invitation

    survey(app)
    assert api.post("/purchases", purchase("o-1", "c-1", amount="10.00")).status_code == 201
    with app.app_context():
        from feedback.services.intake import tiers

        assert db.session.scalar(select(Customer.tier).where(Customer.external_id == "c-1")) == "small"
        counts = tiers.recompute()  # one active customer: the whole pyramid is "top"
        assert counts["top"] == 1
    assert api.post("/purchases", purchase("o-2", "c-2", amount="50.00")).status_code == 201
    assert api.post("/purchases", purchase("o-3", "c-3", amount="1.00")).status_code == 201
    with app.app_context():
        placed = dict(db.session.execute(select(Customer.external_id, Customer.tier)).all())
        assert placed == {"c-1": "top", "c-2": "top", "c-3": "small"}
        stamped = db.session.scalars(select(Invitation.tier).order_by(Invitation.id)).all()
        assert stamped == ["small", "top", "small"]
