"""Alerts that explain themselves: opened from the demo's planted patterns, deduplicated,
reopened when worse, worked on a page and through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import Auth, csrf_from

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def planted(app):
    with app.app_context():
        from feedback.services import demo
        from feedback.services.insights import alerts

        demo.load(3000, seed=7, now=NOW)
        first = alerts.evaluate(NOW)
        again = alerts.evaluate(NOW)
    return first, again


def _alerts(app):
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Alert, StakeholderGroup

        rows = db.session.execute(select(Alert, StakeholderGroup.slug).join(StakeholderGroup)).all()
        return {a.key: (a, slug) for a, slug in rows}


def test_the_demo_incident_gaming_and_simpson_open_alerts_that_say_what_moved(app, planted):
    first, again = planted
    assert first.opened >= 4 and again.opened == again.reopened == again.repeated == 0
    found = _alerts(app)
    delivery, group = found["theme_share:service:region=South:delivery"]
    assert group == "service" and delivery.period == "2026-08"  # the incident month, four months back
    # What moved, by how much, against which limit, with n.
    text = delivery.message
    assert "Delivery complaints in South" in text and "2026-08" in text
    assert f"n = {delivery.n}" in text and f"limit of {delivery.threshold:.0f}%" in text
    assert delivery.value > delivery.threshold > delivery.baseline
    score, _ = found["score:management:region=South:nps"]
    assert score.direction == "below" and score.period == "2026-08"
    gaming = [a for key, (a, _) in found.items() if a.kind == "gaming"]
    assert [a.segment for a in gaming] == ["S08"]
    assert any(a.kind == "simpson" for a, _ in found.values())
    # No region but South, the incident's, alerts on delivery.
    assert [k for k in found if k.startswith("theme_share:service:") and "delivery" in k] == [
        "theme_share:service:region=South:delivery"
    ]


def _finding(alerts, value, period="2026-08"):
    return alerts.Finding(
        key="theme_share:service:region=South:delivery",
        kind="theme_share",
        group_id=None,
        survey_id=None,
        segment="region=South",
        metric="delivery",
        period=period,
        direction="above",
        value=value,
        baseline=7.0,
        threshold=24.0,
        n=30,
        message=f"{value}",
    )


def test_a_repeat_counts_and_an_acknowledged_alert_reopens_only_when_worse(app, ctx):
    from feedback.extensions import db
    from feedback.models import Alert
    from feedback.services.insights import alerts

    result = alerts.Evaluated()
    alerts._record(_finding(alerts, 30.0), NOW, result)
    alerts._record(_finding(alerts, 30.0), NOW, result)  # the same month seen again: nothing new
    alert = db.session.scalars(select(Alert)).one()
    assert (result.opened, result.repeated, alert.count) == (1, 0, 1)
    alerts._record(_finding(alerts, 32.0, "2026-09"), NOW, result)
    assert (result.repeated, alert.count, alert.period) == (1, 2, "2026-09")
    alerts.set_status(alert.id, "acknowledged", None)
    alerts._record(_finding(alerts, 31.0, "2026-10"), NOW, result)  # better than when acknowledged
    assert alert.status == "acknowledged" and result.reopened == 0
    alerts._record(_finding(alerts, 40.0, "2026-11"), NOW + timedelta(days=1), result)  # worse
    assert alert.status == "open" and result.reopened == 1 and alert.notified_at is None
    alerts.set_status(alert.id, "resolved", None)
    alerts._record(_finding(alerts, 45.0, "2026-11"), NOW, result)  # the month it was resolved in
    assert alert.status == "resolved"
    alerts._record(_finding(alerts, 26.0, "2026-12"), NOW, result)  # a later month signals again
    assert alert.status == "open" and result.reopened == 2
    from feedback.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        alerts.set_status(alert.id, "snoozed", None)
    assert "status" in dict(refused.value.errors)


def test_groups_are_emailed_once_per_opening(app, planted):
    sent = []

    class Sender:
        def send(self, message):
            sent.append((message["To"], message["Subject"]))

    with app.app_context():
        from feedback.services.insights import alerts

        first = alerts.notify_open(NOW, sender=Sender())
        assert alerts.notify_open(NOW, sender=Sender()) == 0
    assert first == len(sent) > 0
    assert (
        "service@candor.example",
        "Alert for Service (customer service, logistics, billing): delivery",
    ) in sent


def test_alerts_page_dashboard_and_permissions(app, client, auth, planted):
    alert, _ = _alerts(app)["theme_share:service:region=South:delivery"]
    auth.as_role("analyst")
    page = client.get("/staff/alerts?status=open").get_data(as_text=True)
    assert "Delivery complaints in South" in page
    assert client.get("/staff/alerts?status=snoozed").status_code == 422
    dashboard = client.get("/staff/groups/service").get_data(as_text=True)
    assert "Delivery complaints in South" in dashboard
    quality = client.get("/staff/groups/quality").get_data(as_text=True)
    assert "Delivery complaints in South" not in quality
    token = csrf_from(page)
    done = client.post(f"/staff/alerts/{alert.id}", data={"csrf_token": token, "status": "acknowledged"})
    assert done.status_code == 303
    assert _alerts(app)["theme_share:service:region=South:delivery"][0].status == "acknowledged"
    designer = app.test_client()
    Auth(app, designer).as_role("designer")
    token = csrf_from(designer.get("/staff/alerts").get_data(as_text=True))
    refused = designer.post(f"/staff/alerts/{alert.id}", data={"csrf_token": token, "status": "resolved"})
    assert refused.status_code == 403


def test_alerts_through_the_api(app, client, planted):
    with app.app_context():
        from feedback.services import accounts

        headers = {"Authorization": f"Bearer {accounts.create_api_key('alerts')[1]}"}
    body = client.get("/api/v1/alerts?group=service", headers=headers).get_json()
    assert body["total"] >= 1 and all(a["group"] == "service" for a in body["alerts"])
    one = body["alerts"][0]["id"]
    done = client.patch(f"/api/v1/alerts/{one}", json={"status": "resolved"}, headers=headers).get_json()
    assert done["status"] == "resolved"
    assert client.get("/api/v1/alerts?status=resolved", headers=headers).get_json()["total"] == 1
    assert client.patch(f"/api/v1/alerts/{one}", json={"status": "gone"}, headers=headers).status_code == 422
    assert (
        client.patch(
            "/api/v1/alerts/9223372036854775808", json={"status": "open"}, headers=headers
        ).status_code
        == 404
    )


def test_answers_that_stop_open_an_alert(app, ctx):
    from feedback.extensions import db
    from feedback.models import Invitation, Response
    from feedback.services.insights import alerts
    from tests.insights.helpers import Said, seed

    survey_id = seed(app, [Said(9, "fine")])
    customer = db.session.scalars(select(Response.customer_id)).first()
    for i in range(25):
        db.session.add(
            Invitation(
                survey_id=survey_id,
                customer_id=customer,
                channel="email",
                status="sent",
                sent_at=NOW - timedelta(hours=60 + i % 10),
                token_hash=f"{i:064d}",
            )
        )
    db.session.commit()
    alerts.evaluate(NOW)
    [silent] = [a for a in db.session.scalars(select(alerts.Alert)) if a.kind == "silence"]
    assert "No answers" in silent.message and "25 invitations" in silent.message
