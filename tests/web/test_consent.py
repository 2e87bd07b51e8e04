"""An opt-out sticks: no upsert or import clears it; only a stated, audited re-subscribe does.
And an open link has a ceiling per survey, whatever the number of addresses."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import csrf_from
from tests.purchases import purchase, survey


def _opted_out(app, external_id) -> bool:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        return (
            db.session.scalar(select(Customer.opted_out_at).where(Customer.external_id == external_id))
            is not None
        )


def test_an_upsert_cannot_clear_an_opt_out_and_says_so(app, api):
    survey(app)
    api.post("/customers", {"id": "c-1", "email": "c-1@example.com"})
    api.post("/customers/c-1/unsubscribe", {})
    reply = api.post("/customers", {"id": "c-1", "opted_out": False})
    assert reply.status_code == 200
    assert reply.get_json()["opted_out"] is True
    assert reply.get_json()["ignored"][0]["field"] == "opted_out"
    assert _opted_out(app, "c-1")
    outcome = api.post("/purchases", purchase("o-1", "c-1")).get_json()["invitations"][0]
    assert (outcome["status"], outcome["reason"]) == ("suppressed", "opted_out")


def test_an_import_cannot_clear_an_opt_out(app, api):
    api.post("/customers", {"id": "c-1", "email": "c-1@example.com"})
    api.post("/customers/c-1/unsubscribe", {})
    with app.app_context():
        from feedback.services.intake import importing

        importing.import_csv("customers", io.StringIO("id,opted_out\nc-1,false\n"), "c.csv")
    assert _opted_out(app, "c-1")


def test_only_a_stated_resubscribe_clears_it_and_it_is_audited(app, api):
    api.post("/customers", {"id": "c-1", "email": "c-1@example.com"})
    assert (
        api.post("/customers/c-1/resubscribe", {"reason": "signed the form"}).status_code == 422
    )  # not opted out
    api.post("/customers/c-1/unsubscribe", {})
    for body in ({}, {"reason": "ok"}, {"reason": 5}):
        assert api.post("/customers/c-1/resubscribe", body).status_code == 422
    assert _opted_out(app, "c-1")
    reply = api.post("/customers/c-1/resubscribe", {"reason": "asked by phone on 2026-11-30, ticket 4711"})
    assert reply.status_code == 200 and reply.get_json()["opted_out"] is False
    with app.app_context():
        from feedback.services import audit

        (event,) = audit.recent(action="customer_resubscribed")
        assert (
            event.details["reason"].startswith("asked by phone") and event.details["opt_out_source"] == "api"
        )
        assert event.actor_label == "api:shop"


def test_the_customer_s_own_opt_out_sticks_too(app, api, client):
    from tests.respond.helpers import invite, one_page_survey, publish

    token = invite(app, publish(app, one_page_survey()), "c-9")
    client.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})  # RFC 8058, as mail providers do
    assert _opted_out(app, "c-9")
    api.post("/customers", {"id": "c-9", "opted_out": False})
    assert _opted_out(app, "c-9")


def test_an_open_link_has_a_ceiling_per_survey_that_staff_see(app, client, auth):
    from tests.respond.helpers import one_page_survey, publish

    app.config.update(OPEN_LINK_SURVEY_LIMIT="3 per hour", OPEN_LINK_RATE_LIMIT="100 per hour")
    survey_id = publish(app, one_page_survey(), open_link=True)
    with app.app_context():
        from feedback.services.design import catalog

        key = catalog.get_survey(survey_id).key
    codes = []
    for i in range(5):
        visitor = app.test_client()
        address = {"REMOTE_ADDR": f"127.0.0.{i + 2}"}
        page = visitor.get(f"/o/{key}", environ_base=address).get_data(as_text=True)
        reply = visitor.post(
            f"/o/{key}", data={"csrf_token": csrf_from(page), "page": "1", "nps": "9"}, environ_base=address
        )
        codes.append(reply.status_code)
    assert codes == [303, 303, 303, 429, 429]
    auth.as_role("designer")
    assert "reached its hourly ceiling" in client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
