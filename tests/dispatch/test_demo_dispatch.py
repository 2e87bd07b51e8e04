"""On a demo instance, a posted purchase becomes an invitation, the worker sends it, and the
customer answers through the link in the e-mail."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage

from tests.conftest import csrf_from
from tests.purchases import T0, purchase
from tests.servers import run_worker


def test_a_purchase_on_the_demo_is_invited_sent_and_answered(app, client, api, smtp):
    result = app.test_cli_runner().invoke(args=["demo", "--responses", "300"])
    assert result.exit_code == 0, result.output
    body = purchase("demo-order-1", "new-customer", customer_locale="fa")
    reply = api.post("/purchases", body)
    assert reply.status_code == 201, reply.get_json()
    [invitation] = reply.get_json()["invitations"]
    assert invitation["status"] == "scheduled", invitation

    noon = (T0 + timedelta(days=2)).replace(hour=12)
    run_worker(app, noon.isoformat())
    mine = [m for m in smtp.messages if m["To"] == "new-customer@example.com"]
    assert len(mine) == 1
    message: EmailMessage = mine[0]
    assert message["Content-Language"] == "fa"
    html = message.get_body(("html",)).get_content()
    link = re.search(r'href="https?://[^/"]+(/s/[A-Za-z0-9_-]+)\?score=9"', html).group(1)

    page = client.get(f"{link}?score=9").get_data(as_text=True)
    assert 'lang="fa" dir="rtl"' in page and 'value="9" checked' in page
    saved = client.post(link, data={"csrf_token": csrf_from(page), "page": "1", "nps": "9"})
    assert saved.status_code == 303
    page2 = client.get(link).get_data(as_text=True)
    done = client.post(link, data={"csrf_token": csrf_from(page2), "page": "2", "reason": "ارسال سریع"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/thanks")
    with app.app_context():
        from sqlalchemy import select

        from feedback.extensions import db
        from feedback.models import Customer, Invitation, Response

        customer = db.session.scalar(select(Customer).where(Customer.external_id == "new-customer"))
        response = db.session.scalar(select(Response).where(Response.customer_id == customer.id))
        assert response.status == "complete" and response.locale == "fa"
        invitation = db.session.get(Invitation, response.invitation_id)
        assert invitation.status == "responded"
