"""A group's settings page: admins only, CSRF, clear errors for garbage, an audit entry, and
deadlines that follow the new working hours."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.conftest import Auth, csrf_from
from tests.insights.helpers import Said, seed

URL = "/staff/groups/quality/settings"
GOOD = {
    "tz": "UTC",
    "days": ["0", "1", "2", "3", "4"],
    "start": "09:00",
    "end": "17:00",
    "holidays": "2026-12-25\n2026-12-26",
    "high_first": "24",
    "high_resolve": "72",
    "normal_first": "48",
    "normal_resolve": "120",
    "low_first": "168",
    "low_resolve": "336",
    "digest_frequency": "daily",
    "digest_when_empty": "skip",
    "lead": "",
}


def _post(client, **changes):
    token = csrf_from(client.get(URL).get_data(as_text=True))
    data = {**GOOD, **changes, "csrf_token": token}
    return client.post(URL, data={k: v for k, v in data.items() if v is not None})


def test_only_admins_and_only_with_csrf(app, client, auth):
    auth.as_role("analyst")
    assert client.get(URL).status_code == 403
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post(URL, data={**GOOD, "csrf_token": token}).status_code == 403
    client = app.test_client()
    Auth(app, client).as_role("admin")
    page = client.get(URL)
    assert page.status_code == 200 and "Working days" in page.get_data(as_text=True)
    assert client.post(URL, data=GOOD).status_code == 400  # no CSRF token
    assert client.get("/staff/groups/nobody/settings").status_code == 404


GARBAGE = [
    (
        {
            "start": "25:00",
            "high_first": "-4",
            "normal_resolve": "lots",
            "low_first": "NaN",
            "tz": "Mars/Olympus",
            "days": None,
            "digest_when_empty": "shout",
            "lead": "999999999999999999999",
            "holidays": "99999-01-01",
        },
        [
            "A time of day as HH:MM, from 00:00 to 23:59.",
            "Hours from 0.5 to 8,760 (a year).",
            "Not a valid decimal value.",
            "Not a known time zone, such as Europe/Berlin.",
            "Choose at least one working day.",
            "Not a valid choice.",
            "Line 1: 99999-01-01 is not a date as YYYY-MM-DD.",
        ],
    ),
    (
        {"end": "08:00", "high_first": "80", "high_resolve": "8", "holidays": "2026-12-25\n1900-01-01"},
        [
            "Work must end after it starts.",
            "resolution may not come before first contact.",
            "Line 2: choose a date from 2000 to 2100.",
        ],
    ),
    ({"holidays": "\n".join(["2027-01-01"] * 10_000)}, ["At most 1000 holidays; this list has 10000."]),
    # A name too long for the file system, a tzdata folder, the host's own zone.
    ({"tz": "A" * 300}, ["Not a known time zone, such as Europe/Berlin."]),
    ({"tz": "Europe"}, ["Not a known time zone, such as Europe/Berlin."]),
    ({"tz": "localtime"}, ["Not a known time zone, such as Europe/Berlin."]),
    ({"start": "09:00\n"}, ["A time of day as HH:MM, from 00:00 to 23:59."]),
    ({"end": "17:00\n"}, ["A time of day as HH:MM, up to 24:00."]),
    ({"holidays": "20260501"}, ["Line 1: 20260501 is not a date as YYYY-MM-DD."]),
    ({"holidays": "2026-W01-1"}, ["Line 1: 2026-W01-1 is not a date as YYYY-MM-DD."]),
]


def test_garbage_gets_clear_errors_and_changes_nothing(app, client, auth):
    auth.as_role("admin")
    for changes, messages in GARBAGE:
        answer = _post(client, **changes)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422, html[:500]
        assert "Nothing was saved." in html
        for message in messages:
            assert message in html, message
    with app.app_context():
        from feedback.services.insights import groups

        quality = groups.by_slug("quality")
        assert quality.schedule == {} and quality.digest_frequency == "weekly"


def test_saved_settings_are_audited_and_move_the_deadlines(app, client, auth):
    seed(app, [Said(2, "the kettle broke")])
    friday = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import AuditEvent, Case
        from feedback.services import accounts
        from feedback.services.insights import cases

        cases.open_pending(friday)
        case = db.session.scalars(select(Case)).one()
        # Round the clock by default: due 24 hours later.
        assert case.first_contact_due_at == datetime(2026, 12, 5, 16, 0, tzinfo=UTC)
        lead = accounts.create_user("lead@example.com", "agent", "correct horse battery")
        lead_id, case_id = lead.id, case.id
    auth.as_role("admin")
    saved = _post(client, lead=str(lead_id), holidays="2026-12-08")
    assert saved.status_code == 303
    page = client.get(URL).get_data(as_text=True)
    assert "Settings saved; 1 open case has new deadlines." in page
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import AuditEvent, Case
        from feedback.services.insights import groups

        quality = groups.by_slug("quality")
        assert quality.lead_id == lead_id and quality.digest_when_empty == "skip"
        assert quality.digest_frequency == "daily"
        case = db.session.get(Case, case_id)
        # 24 working hours from Friday 16:00 at eight a day, Tuesday a holiday:
        # Friday 1 + Monday 8 + Wednesday 8 + Thursday 7.
        assert case.first_contact_due_at == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "group.settings_changed")
        ).one()
        assert event.details["slug"] == "quality" and event.details["cases_moved"] == 1
        assert event.details["after"]["lead_id"] == lead_id
