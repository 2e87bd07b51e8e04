"""The worker against real servers: an SMTP server and an SMS gateway in the test process."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from feedback.channels.sms import encoding, segments
from tests.purchases import T0, later, purchase, survey
from tests.servers import run_worker


def _invitation(app, order):
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation, Purchase

        pid = db.session.scalar(select(Purchase.id).where(Purchase.external_id == order))
        return db.session.scalar(select(Invitation).where(Invitation.purchase_id == pid))


def test_an_invitation_email_has_both_parts_links_and_headers(api, app, smtp):
    survey(app)
    api.post("/purchases", purchase("o-1", "c-1", customer_name="Ada"))
    assert run_worker(app, later(0.5)).startswith("sent 0")  # not due for 24 hours
    assert "sent 1" in run_worker(app, later(2))
    (message,) = smtp.messages
    assert message["To"] == "Ada <c-1@example.com>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    inv = _invitation(app, "o-1")
    assert message["X-Candor-Idempotency-Key"] == f"candor-invitation-{inv.id}"
    assert message["Message-ID"].startswith(f"<candor-invitation-{inv.id}@")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    links = sorted(set(re.findall(r"/s/([A-Za-z0-9_-]{22})\?score=(\d+)", html)))
    assert sorted(int(s) for _, s in links) == list(range(11))
    token = links[0][0]
    assert message["List-Unsubscribe"] == f"<http://127.0.0.1:5000/u/{token}>"
    assert "Hello Ada," in text and f"/s/{token}?score=9" in text
    with app.app_context():
        from feedback.services.respond import links as link_service

        assert link_service.invitation_for(token).id == inv.id  # the link opens this invitation
    assert inv.status == "sent"
    assert "sent 0" in run_worker(app, later(3))  # never twice


def test_persian_email_is_right_to_left_and_localized(api, app, smtp):
    survey(app)
    api.post("/purchases", purchase("o-fa", "c-fa", customer_locale="fa"))
    run_worker(app, later(2))
    (message,) = smtp.messages
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fa" dir="rtl">' in html
    assert message["Subject"] == "یک پرسش کوتاه درباره سفارش اخیر شما"
    assert "چقدر احتمال دارد ما را به یک دوست یا همکار توصیه کنید؟" in html
    assert message["Content-Language"] == "fa"


def test_sms_fits_one_segment_and_falls_back_from_email(api, app, smtp, sms_gateway):
    survey(app, channels=("email", "sms"))
    api.post(
        "/purchases",
        purchase("o-sms", "c-sms", email=None, customer_phone="+447700900123", customer_locale="ru"),
    )
    api.post(
        "/purchases", purchase("o-bounce", "c-bounce", customer_phone="+447700900124", customer_locale="fa")
    )
    smtp.fail_next = ["550 5.1.1 No such user"]
    run_worker(app, later(2))
    run_worker(app, later(2))
    texts = {m["to"]: m["text"] for m in sms_gateway.received}
    assert set(texts) == {"+447700900123", "+447700900124"}  # the bounced e-mail went by SMS instead
    for text in texts.values():
        assert encoding(text) == "UCS-2"
        assert segments(text) == 1
        assert re.search(r"/s/[A-Za-z0-9_-]{22}", text)
    assert sms_gateway.received[0]["auth"] == "Bearer gw-token"
    assert smtp.messages == []


def test_temporary_failures_are_retried_with_backoff(api, app, smtp):
    survey(app)
    api.post("/purchases", purchase("o-t", "c-t"))
    smtp.fail_next = ["451 4.3.0 Try again later"]
    assert "retried 1" in run_worker(app, later(2))
    assert smtp.messages == []
    inv = _invitation(app, "o-t")
    assert inv.status == "scheduled" and "451" in inv.last_error
    assert "sent 0" in run_worker(app, later(2))  # the backoff has not run out yet
    assert "sent 1" in run_worker(app, later(2.1))
    assert len(smtp.messages) == 1


def test_permanent_failure_without_fallback_is_marked_failed(api, app, smtp):
    survey(app)
    api.post("/purchases", purchase("o-p", "c-p"))
    smtp.fail_next = ["550 5.1.1 No such user"]
    assert "failed 1" in run_worker(app, later(2))
    assert _invitation(app, "o-p").status == "failed"


def test_reminder_goes_once_to_those_who_did_not_answer(api, app, smtp):
    survey(app, reminder_after_days=3)
    api.post("/purchases", purchase("o-r", "c-r"))
    run_worker(app, later(2))
    assert "sent 0" in run_worker(app, later(4))
    assert "reminder:email" in run_worker(app, later(5.5))
    assert [m["Subject"] for m in smtp.messages] == [
        "A quick question about your recent order",
        "Reminder: a quick question about your recent order",
    ]
    assert "sent 0" in run_worker(app, later(9))


def test_opt_out_after_scheduling_stops_the_send(api, app, smtp, client):
    survey(app)
    api.post("/purchases", purchase("o-a", "c-a"))
    api.post("/purchases", purchase("o-b", "c-b"))
    api.post("/customers/c-a/unsubscribe", {})
    run_worker(app, later(2))
    assert [m["To"] for m in smtp.messages] == ["c-b@example.com"]


def test_unsubscribe_link_asks_on_get_and_acts_on_one_click_post(api, app, smtp, client):
    survey(app)
    api.post("/purchases", purchase("o-u", "c-u"))
    run_worker(app, later(2))
    link = smtp.messages[0]["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:5000", "")
    page = client.get(link)
    assert page.status_code == 200
    assert api.get("/customers/c-u").get_json()["opted_out"] is False  # a mail scanner's GET changes nothing
    done = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert api.get("/customers/c-u").get_json()["opted_out"] is True
    assert client.get("/u/not-a-real-token-at-all").status_code == 404


def test_sms_stop_reply_opts_out(api, app, client):
    app.config["SMS_WEBHOOK_SECRET"] = "hook-secret"
    api.post("/customers", {"id": "c-s", "phone": "+447700900555"})
    denied = client.post("/api/v1/sms/inbound", json={"from": "+447700900555", "text": "STOP"})
    assert denied.status_code == 401
    ok = client.post(
        "/api/v1/sms/inbound",
        json={"from": "+44 7700 900555", "text": "стоп"},
        headers={"X-Candor-Webhook-Secret": "hook-secret"},
    )
    assert ok.get_json() == {"opted_out": True}
    assert api.get("/customers/c-s").get_json()["opted_out"] is True


def test_a_thousand_purchases_give_exactly_the_expected_messages(api, app, smtp):
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # one client posting fast; the limit is tested apart
    survey(app, fatigue_days=30)
    opted = {f"c{i}" for i in range(0, 950, 31)}
    fatigued = {f"c{i}" for i in range(5, 950, 23)} - opted
    for c in opted:
        api.post("/customers", {"id": c, "email": f"{c}@example.com", "opted_out": True})
    for c in fatigued:
        api.post(
            "/customers",
            {"id": c, "email": f"{c}@example.com", "last_invited_at": (T0 - timedelta(days=10)).isoformat()},
        )
    statuses = []
    for i in range(1000):
        n = i if i < 950 else i - 950  # the last fifty repeat earlier orders
        statuses.append(api.post("/purchases", purchase(f"o{n}", f"c{n}")).status_code)
    assert statuses.count(201) == 950 and statuses.count(200) == 50
    run_worker(app, later(2))
    expected = 950 - len(opted) - len(fatigued)
    keys = [m["X-Candor-Idempotency-Key"] for m in smtp.messages]
    assert len(keys) == expected == len(set(keys))
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation

        reasons = dict(
            db.session.execute(
                select(Invitation.suppression_reason, func.count())
                .where(Invitation.status == "suppressed")
                .group_by(Invitation.suppression_reason)
            ).all()
        )
    assert reasons == {"opted_out": len(opted), "fatigue": len(fatigued)}
