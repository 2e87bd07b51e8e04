"""One customer record that cannot make a message never stops the others: it fails alone, with
its reason, and names that try to add headers or recipients never reach a header."""

from __future__ import annotations

import io
import re

from sqlalchemy import select, update

from tests.purchases import later, purchase, survey
from tests.servers import run_worker

POISON = {
    "p-crlf": {"name": "Evil\r\nBcc: x@evil.example"},
    "p-noat": {"email": "no-at-sign.example"},
    "p-header": {"email": "a@example.com\r\nBcc: y@evil.example"},
}


def _customers_with(app, values_by_id: dict) -> None:
    """Records as they were stored before names and addresses were checked at the door."""
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        for external_id, values in values_by_id.items():
            db.session.execute(update(Customer).where(Customer.external_id == external_id).values(**values))
        db.session.commit()


def _statuses(app) -> dict:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer, Invitation

        rows = db.session.execute(
            select(Customer.external_id, Invitation.status, Invitation.last_error).join(
                Customer, Customer.id == Invitation.customer_id
            )
        )
        return {cid: (status, error) for cid, status, error in rows}


def test_five_normal_purchases_beside_three_poison_ones(api, app, smtp, client, auth):
    survey(app)
    for i in range(5):
        assert api.post("/purchases", purchase(f"o-{i}", f"c-{i}")).status_code == 201
    for cid in POISON:
        assert api.post("/purchases", purchase(f"o-{cid}", cid)).status_code == 201
    _customers_with(app, POISON)
    first = run_worker(app, later(2))  # exits 0, or run_worker fails the test
    second = run_worker(app, later(3))
    assert "sent 5" in first and "failed 3" in first and "sent 0" in second
    assert sorted(str(m["To"]) for m in smtp.messages) == [f"c-{i}@example.com" for i in range(5)]
    statuses = _statuses(app)
    for cid in POISON:
        status, error = statuses[cid]
        assert status == "failed" and "cannot build the message" in error, (cid, status, error)
    auth.as_role("analyst")
    page = client.get("/staff/dispatch").get_data(as_text=True)
    assert page.count("cannot build the message") == 3 and "p-crlf" in page
    standing = api.get("/customers/p-crlf").get_json()
    assert standing["invitations"][0]["status"] == "failed"
    assert "CR or LF" in standing["invitations"][0]["error"]
    again = api.post("/purchases", purchase("o-p-noat", "p-noat")).get_json()
    (listed,) = again["invitations"]
    assert listed["status"] == "failed" and "not an e-mail address" in listed["error"]


def test_a_name_with_commas_stays_one_display_name(api, app, smtp):
    survey(app)
    name = "Service Team, attacker@evil.example, Someone"
    api.post("/purchases", purchase("o-1", "c-1", customer_name=name))
    run_worker(app, later(2))
    (message,) = smtp.messages
    assert smtp.recipients == [["c-1@example.com"]]
    (address,) = message["To"].addresses
    assert (address.display_name, address.addr_spec) == (name, "c-1@example.com")


def test_international_addresses_are_stored_normalised_and_delivered(api, app, smtp):
    survey(app)
    for order, email in (("o-1", "ñoño@example.com"), ("o-2", "user@xn--fsqu00a.xn--4rr70v")):
        assert api.post("/purchases", purchase(order, order, email=email)).status_code == 201
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        stored = set(db.session.scalars(select(Customer.email)))
    assert stored == {"ñoño@example.com", "user@例子.广告"}  # punycode kept in its Unicode form
    assert "sent 2" in run_worker(app, later(2))
    assert sorted(r for rs in smtp.recipients for r in rs) == ["user@例子.广告", "ñoño@example.com"]


def test_without_smtputf8_a_unicode_domain_goes_as_idna_and_a_unicode_mailbox_fails_alone(
    api, app, smtp_ascii
):
    survey(app)
    api.post("/purchases", purchase("o-1", "c-1", email="user@例子.广告"))
    api.post("/purchases", purchase("o-2", "c-2", email="ñoño@example.com"))
    api.post("/purchases", purchase("o-3", "c-3"))
    output = run_worker(app, later(2))
    assert "sent 2" in output and "failed 1" in output
    assert sorted(r for rs in smtp_ascii.recipients for r in rs) == [
        "c-3@example.com",
        "user@xn--fsqu00a.xn--4rr70v",
    ]
    status, error = _statuses(app)["c-2"]
    assert status == "failed" and "SMTPUTF8" in error


def test_an_unexpected_error_is_retried_with_backoff_and_given_up_at_the_cap(api, app, smtp, monkeypatch):
    from feedback.services.dispatch import messages, outbox

    survey(app)
    api.post("/purchases", purchase("o-1", "c-1"))
    api.post("/purchases", purchase("o-2", "c-2"))
    real = messages.email

    def broken(invitation, customer, *args, **kwargs):
        if customer.external_id == "c-1":
            raise RuntimeError("the template engine fell over")
        return real(invitation, customer, *args, **kwargs)

    monkeypatch.setattr(messages, "email", broken)
    assert "sent 1" in run_worker(app, later(2))  # the other message of the batch still goes
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import OutboxJob

        job = db.session.scalar(select(OutboxJob).where(OutboxJob.status == "pending"))
        assert job is not None and "RuntimeError" in job.last_error and job.attempts == 1
        waited = job.due_at
    for day in range(3, 3 + outbox.MAX_ATTEMPTS):
        run_worker(app, later(day))
    with app.app_context():
        job = db.session.get(OutboxJob, job.id)
        assert job.status == "failed" and job.attempts == outbox.MAX_ATTEMPTS
        assert waited.replace(tzinfo=None) > __import__("datetime").datetime.fromisoformat(later(2)).replace(
            tzinfo=None
        )
    assert _statuses(app)["c-1"][0] == "failed"


def test_a_job_that_killed_its_worker_each_time_is_given_up(api, app, smtp):
    from feedback.services.dispatch import outbox

    survey(app)
    api.post("/purchases", purchase("o-1", "c-1"))
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import OutboxJob

        db.session.execute(update(OutboxJob).values(attempts=outbox.MAX_ATTEMPTS + 3))
        db.session.commit()
    output = run_worker(app, later(2))
    assert "failed 1" in output and smtp.messages == []
    status, error = _statuses(app)["c-1"]
    assert status == "failed" and "no outcome after" in error


def test_the_door_refuses_what_would_poison_a_header(api, app):
    from feedback.models import Customer

    for name in ("Evil\r\nBcc: x@evil.example", "tab\there", "nul\x00"):
        reply = api.post("/purchases", purchase("o-x", "c-x", customer_name=name))
        assert reply.status_code in (400, 422)  # a NUL is not even JSON Candor reads: 400
        assert re.search(r"control characters|NUL", str(reply.get_json()["errors"]))
    body = 'id,email,name\nc1,a@example.com,"Evil\r\nBcc: x@evil.example"\nc2,b@example.com,Fine\n'
    with app.app_context():
        from feedback.extensions import db
        from feedback.services.intake import importing

        run = importing.import_csv("customers", io.StringIO(body, newline=""), "c.csv")
        names = set(db.session.scalars(select(Customer.name)))
    assert (run.accepted, run.rejected) == (1, 1) and "line break" in str(run.rejects[0]["errors"])
    assert names == {"Fine"}
