"""Cases close the loop: one per unhappy customer, routed, with deadlines, worked by agents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import Auth, csrf_from
from tests.insights.helpers import WHEN, Said, seed

SAID = [
    Said(2, "my kettle broke after two days"),  # detractor, product_defect -> quality
    Said(8, "charged twice for one order"),  # passive, billing complaint is severe -> service
    Said(8, "fine, but please call me about my order", email="ann@example.org"),  # contact request
    Said(9, "fast delivery, thanks"),  # promoter: no case by default
    Said(7, "ok"),  # nothing to follow up
    Said(1, "terrible"),  # detractor without a theme -> service
]
LATER = WHEN + timedelta(hours=1)


def _open(app, now=LATER):
    with app.app_context():
        from feedback.services.insights import cases

        return cases.open_pending(now)


def _cases(app):
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, StakeholderGroup

        rows = db.session.execute(
            select(Case, StakeholderGroup.slug).join(StakeholderGroup).order_by(Case.response_id)
        ).all()
        return [(c.reason, c.priority, slug, c.themes, c.first_contact_due_at, c.due_at) for c, slug in rows]


def test_unhappy_customers_get_one_case_each_routed_by_theme(app):
    seed(app, SAID)
    opened = _open(app)
    assert opened.opened == 4 and opened.scanned == 6
    found = _cases(app)
    assert [(r, p, g) for r, p, g, *_ in found] == [
        ("detractor", "high", "quality"),
        ("severe_theme", "high", "service"),
        ("contact_request", "normal", "service"),
        ("detractor", "high", "service"),
    ]
    assert "product_defect" in found[0][3]
    # Defaults from practice: first contact within 24 hours for detractors, 48 for the rest.
    assert found[0][4] == LATER + timedelta(hours=24)
    assert found[2][4] == LATER + timedelta(hours=48)
    # Idempotent: another run, or a run that rescans from the start, opens nothing new.
    assert _open(app).opened == 0
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, CaseScan
        from feedback.services.insights import cases

        db.session.get(CaseScan, "cases").last_response_id = 0
        db.session.commit()
        assert cases.open_pending(LATER).opened == 0
        assert db.session.scalar(select(func.count()).select_from(Case)) == 4


def test_promoters_are_thanked_only_when_the_company_asks(app):
    app.config["THANK_PROMOTERS"] = True
    seed(app, [Said(10, "love it")])
    _open(app)
    assert [(r, p) for r, p, *_ in _cases(app)] == [("promoter_thanks", "low")]


def test_working_hours_move_the_deadline(app):
    with app.app_context():
        from feedback.extensions import db
        from feedback.services.insights import groups

        groups.ensure_defaults()
        quality = groups.by_slug("quality")
        quality.schedule = {"tz": "UTC", "days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
        db.session.commit()
    seed(app, [Said(2, "the kettle broke")])
    friday = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    _open(app, friday)
    (_, _, slug, _, first, _) = _cases(app)[0]
    # 24 working hours from Friday 16:00 at eight hours a day: Friday 1 + Mon, Tue 16 + Wed 7.
    assert slug == "quality" and first == datetime(2026, 12, 9, 16, 0, tzinfo=UTC)


def test_lifecycle_pause_close_and_escalation(app):
    seed(app, [Said(2, "the kettle broke")])
    _open(app)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, CaseEvent
        from feedback.services import accounts
        from feedback.services.errors import ValidationFailed
        from feedback.services.insights import cases

        agent = accounts.create_user("agent@example.com", "agent", "correct horse battery")
        case = db.session.scalars(select(Case)).one()
        due = case.due_at
        with pytest.raises(ValidationFailed) as refused:
            cases.update(case.id, agent, status="closed", now=LATER)
        assert "outcome" in dict(refused.value.errors)
        analyst = accounts.create_user("analyst@example.com", "analyst", "correct horse battery")
        with pytest.raises(ValidationFailed) as refused:
            cases.update(case.id, agent, owner=analyst.id, now=LATER)
        assert "owner" in dict(refused.value.errors)
        cases.update(case.id, agent, owner=agent.id, status="waiting", now=LATER)
        # Ten hours waiting on the customer stop the clock: the deadline moves by ten hours.
        cases.update(case.id, agent, status="in_progress", now=LATER + timedelta(hours=10))
        case = db.session.get(Case, case.id)
        assert case.due_at == due + timedelta(hours=10)
        assert case.first_contact_at == LATER  # waiting on the customer means they were reached
        # Overdue: escalated once per level, never twice.
        late = case.due_at + timedelta(hours=1)
        assert [lvl for _, lvl in cases.escalate_overdue(late)] == [2]
        assert cases.escalate_overdue(late + timedelta(hours=5)) == []
        cases.update(
            case.id, agent, status="closed", outcome="resolved", note="replaced the kettle", now=late
        )
        case = db.session.get(Case, case.id)
        assert (case.status, case.outcome, case.closed_at) == ("closed", "resolved", late)
        kinds = [e.kind for e in db.session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
        assert kinds == ["opened", "assigned", "status", "status", "escalated", "status", "note"]


def test_owners_and_leads_are_told_by_email(app):
    seed(app, [Said(2, "the kettle broke")])
    _open(app)
    sent = []

    class Sender:
        def send(self, message):
            sent.append((message["To"], message["Subject"]))

    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case
        from feedback.services import accounts
        from feedback.services.insights import cases, groups

        agent = accounts.create_user("agent@example.com", "agent", "correct horse battery")
        lead = accounts.create_user("lead@example.com", "admin", "correct horse battery")
        groups.by_slug("quality").lead_id = lead.id
        db.session.commit()
        case = db.session.scalars(select(Case)).one()
        cases.update(case.id, lead, owner=agent.id, now=LATER)  # a lead hands the case to an agent
        cases.escalate_overdue(case.first_contact_due_at + timedelta(minutes=1))
        assert cases.notify_pending(LATER, sender=Sender()) == 2
        assert cases.notify_pending(LATER, sender=Sender()) == 0
    assert sent == [
        ("agent@example.com", f"Case {case.id} is yours"),
        ("lead@example.com", f"Case {case.id} is overdue"),
    ]


def test_agents_see_contacts_analysts_do_not_and_only_agents_work_cases(app, client, auth):
    seed(app, SAID)
    _open(app)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case

        contact = db.session.scalars(select(Case).where(Case.reason == "contact_request")).one().id
    auth.as_role("analyst")
    queue = client.get("/staff/cases")
    assert queue.status_code == 200 and "4 cases match" in queue.get_data(as_text=True)
    page = client.get(f"/staff/cases/{contact}").get_data(as_text=True)
    assert "ann@example.org" not in page and "Contact details are shown to agents only" in page
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    refused = client.post(f"/staff/cases/{contact}", data={"csrf_token": token, "status": "closed"})
    assert refused.status_code == 403
    assert client.get("/staff/cases?status=bogus").status_code == 422
    assert client.get("/staff/cases?group=nobody").status_code == 422
    assert client.get("/staff/cases/999999999").status_code == 404

    client = app.test_client()
    Auth(app, client).as_role("agent")
    page = client.get(f"/staff/cases/{contact}").get_data(as_text=True)
    assert "ann@example.org" in page and "mailto:ann%40example.org" in page
    token = csrf_from(page)
    answer = client.post(
        f"/staff/cases/{contact}",
        data={"csrf_token": token, "status": "closed", "outcome": "resolved", "note": "<b>called</b>"},
    )
    assert answer.status_code == 303
    page = client.get(f"/staff/cases/{contact}").get_data(as_text=True)
    assert "&lt;b&gt;called&lt;/b&gt;" in page and "<b>called</b>" not in page
    assert client.post(f"/staff/cases/{contact}", data={"status": "open"}).status_code == 400  # no CSRF

    client = app.test_client()
    Auth(app, client).as_role("designer")
    assert client.get("/staff/cases").status_code == 403


def test_cases_through_the_api(app, client):
    seed(app, SAID)
    _open(app)
    with app.app_context():
        from feedback.services import accounts

        headers = {"Authorization": f"Bearer {accounts.create_api_key('loop')[1]}"}
    body = client.get("/api/v1/cases?group=quality", headers=headers).get_json()
    assert body["total"] == 1 and body["cases"][0]["reason"] == "detractor"
    one = body["cases"][0]["id"]
    assert "ann@example.org" not in str(client.get("/api/v1/cases", headers=headers).get_json())
    bad = client.patch(f"/api/v1/cases/{one}", json={"status": "closed"}, headers=headers)
    assert bad.status_code == 422 and "outcome" in bad.get_data(as_text=True)
    done = client.patch(
        f"/api/v1/cases/{one}", json={"status": "closed", "outcome": "no_contact"}, headers=headers
    ).get_json()
    assert done["status"] == "closed" and done["outcome"] == "no_contact"
    assert [e["kind"] for e in done["timeline"]] == ["opened", "status"]
    assert client.get("/api/v1/cases?status=closed", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/cases/9223372036854775808", headers=headers).status_code == 404
    assert client.patch("/api/v1/cases/1", json={"status": "gone"}, headers=headers).status_code == 422


def test_the_worker_opens_cases_once(app, runner):
    seed(app, SAID)
    first = runner.invoke(args=["worker", "--once", "--now", "2026-06-15T13:00:00Z"])
    assert first.exit_code == 0, first.output
    assert "4 cases opened" in first.output
    again = runner.invoke(args=["worker", "--once", "--now", "2026-06-15T13:05:00Z"])
    assert again.exit_code == 0 and "cases opened" not in again.output
    assert len(_cases(app)) == 4


def test_recovery_is_measured_per_group_with_intervals(app, client, auth):
    seed(app, SAID)
    _open(app)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case
        from feedback.services import accounts
        from feedback.services.insights import cases, recovery

        agent = accounts.create_user("agent@example.com", "agent", "correct horse battery")
        ids = [c.id for c in db.session.scalars(select(Case).order_by(Case.id))]
        cases.update(ids[0], agent, status="in_progress", now=LATER + timedelta(hours=2))
        cases.update(ids[0], agent, status="closed", outcome="resolved", now=LATER + timedelta(hours=10))
        cases.update(ids[1], agent, status="closed", outcome="unresolved", now=LATER + timedelta(hours=100))
        now = LATER + timedelta(hours=200)
        rows = {r["label"]: r for r in recovery.report("group", now)}
        quality = rows["quality"]
        assert (quality["cases"], quality["closed"], quality["first_contact_hours"]) == (1, 1, 2.0)
        assert quality["recovery"]["value"] == 100.0 and quality["recovery"]["low"] < 100
        service = rows["service"]
        # Three service cases: one closed late (100 h against a 72 h deadline), two never worked.
        assert service["closed"] == 1 and service["recovery"]["value"] == 0.0
        assert service["overdue"]["n"] == 3 and service["overdue"]["value"] == 100.0
        whole = recovery.headline(now)
        assert whole["closed"] == 2 and whole["recovery"]["value"] == 50.0
        themes = {r["label"] for r in recovery.report("theme", now)}
        assert "product_defect" in themes
        with pytest.raises(ValueError, match="by must be"):
            recovery.report("weather", now)
    auth.as_role("analyst")
    page = client.get("/staff/cases?by=owner").get_data(as_text=True)
    assert "Of 2 closed cases, 50% were resolved" in page and "agent@example.com" in page
