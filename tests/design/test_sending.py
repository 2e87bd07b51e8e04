"""A survey made in the staff UI sends: its state in plain words, start/stop, and the rule editor."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from
from tests.purchases import purchase


def _from_template(client, key="delivery-check", template="delivery-csat"):
    page = client.get("/staff/surveys/new").get_data(as_text=True)
    response = client.post(
        "/staff/surveys/new",
        data={
            "csrf_token": csrf_from(page),
            "template": template,
            "name": key.title(),
            "key": key,
            "locales": ["en", "fa"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/staff/surveys/(\d+)", response.headers["Location"]).group(1))


def _publish(client, survey_id, *, start_sending: bool):
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert 'name="start_sending"' in page  # publishing asks whether to start sending
    data = {"csrf_token": csrf_from(page)}
    if start_sending:
        data["start_sending"] = "y"
    response = client.post(f"/staff/surveys/{survey_id}/publish", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)


def _statuses(api, order):
    response = api.post("/purchases", purchase(order, f"c-{order}"))
    assert response.status_code == 201, response.get_json()
    return {i["survey"]: i for i in response.get_json()["invitations"]}


def _rule_form(page: str, **changes) -> dict:
    """The rule editor's fields as the page fills them in, with ``changes`` applied."""
    form = page[page.index('action="/staff/surveys/') :]
    form = form[: form.index("</form>")] if "/rule" in form[:80] else page[page.index("/rule") :]
    data = {"csrf_token": csrf_from(page)}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="(\w+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and ('type="checkbox"' not in tag or "checked" in tag):
            data[name.group(1)] = value.group(1)
    for name, inner in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', inner)
        data[name] = next(g for g in chosen.groups() if g is not None) if chosen else ""
    data.pop("active", None)
    data.update(changes)
    return data


def test_a_survey_published_in_the_ui_with_sending_on_gets_invitations(app, client, auth, api):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = _publish(client, survey_id, start_sending=True)
    assert "Sending." in page and "Stop sending" in page
    assert _statuses(api, "o-1")["delivery-check"]["status"] in ("scheduled", "waiting_for_delivery")


def test_a_survey_that_does_not_send_says_so_and_is_listed_in_the_purchase_reply(app, client, auth, api):
    auth.as_role("designer")
    survey_id = _from_template(client, template="transactional-nps", key="after-sale")
    page = _publish(client, survey_id, start_sending=False)
    assert "Not sending." in page and "Start sending" in page
    outcome = _statuses(api, "o-1")["after-sale"]
    assert outcome == {"survey": "after-sale", "status": "not_sending", "reason": "sending_off"}
    started = client.post(
        f"/staff/surveys/{survey_id}/sending", data={"csrf_token": csrf_from(page), "active": "1"}
    )
    assert started.status_code == 303
    assert "Stop sending" in client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert _statuses(api, "o-2")["after-sale"]["status"] == "scheduled"
    again = api.post("/purchases", purchase("o-1", "c-o-1"))  # a repeat still names it, and why
    assert again.status_code == 200
    (listed,) = [i for i in again.get_json()["invitations"] if i["survey"] == "after-sale"]
    assert listed == {"survey": "after-sale", "status": "not_sending", "reason": "sending_off_at_purchase"}


def test_a_draft_cannot_start_sending(app, client, auth):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert "Publish the survey first" in page
    refused = client.post(
        f"/staff/surveys/{survey_id}/sending",
        data={"csrf_token": csrf_from(page), "active": "1"},
        follow_redirects=True,
    )
    assert "publish the survey before it can send" in refused.get_data(as_text=True)


def test_the_rule_editor_saves_a_rule_and_says_what_it_means(app, client, auth, api):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = _publish(client, survey_id, start_sending=True)
    data = _rule_form(
        page,
        trigger="delivery",
        delay="3",
        delay_unit="days",
        channels="email,sms",
        fatigue_days="30",
        quiet_start="",
        quiet_end="",
        only_channels="online",
        min_amount="10",
    )
    saved = client.post(f"/staff/surveys/{survey_id}/rule", data=data)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert (
        "3 days after delivery, by e-mail, then SMS; at most one survey per customer every 30 days." in page
    )
    assert "Only purchases made online." in page
    with app.app_context():
        from feedback.services.design import catalog

        rule = catalog.current_rule(survey_id)
    assert (rule.trigger, rule.delay_hours, rule.channels, rule.quiet_hours) == (
        "delivery",
        72.0,
        ("email", "sms"),
        None,
    )
    assert dict(rule.filters) == {"channel": ["online"], "min_amount": 10.0}
    store = _statuses(api, "o-1")  # a store purchase no longer matches
    assert store["delivery-check"]["status"] == "waiting_for_delivery"


BAD = [
    ({"sampling_percent": "0"}, "sampling", "must be a fraction above 0 and at most 1"),
    (
        {"reminder_after_days": "20", "expires_after_days": "14"},
        "reminder_after_days",
        "before the survey expires",
    ),
    ({"quiet_start": "25:00", "quiet_end": "09:00"}, "quiet_hours", "HH:MM"),
    ({"fatigue_days": "99999"}, "fatigue_days", "between 0 and 3650"),
    ({"delay": "9000"}, "delay_hours", "between 0 and 8760"),
    ({"priority": "101"}, "priority", "between 0 and 100"),
    ({"min_amount": "50", "max_amount": "10"}, "filters.max_amount", "must not be below min_amount"),
]


@pytest.mark.parametrize(("changes", "path", "message"), BAD)
def test_the_editor_and_the_api_refuse_the_same_rules_with_the_same_words(
    app, client, auth, api, changes, path, message
):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = _publish(client, survey_id, start_sending=True)
    refused = client.post(f"/staff/surveys/{survey_id}/rule", data=_rule_form(page, **changes))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html and '<details class="rule-editor" open' in html
    with app.app_context():
        from feedback.services.design import catalog

        assert catalog.current_rule(survey_id).fatigue_days == 30  # nothing was saved
    # The same setting through the API's survey document is refused with the same words.
    from surveys import serialize
    from surveys.templates import delivery_csat

    document = serialize.to_dict(delivery_csat()) | {"key": "api-copy"}
    form = _rule_from_changes(changes)
    document["dispatch"] = {**document["dispatch"], **form}
    answer = api.post("/surveys", document)
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.get_json()["errors"]}
    assert message in errors[f"dispatch.{path}"]


def _rule_from_changes(changes: dict) -> dict:
    out = {}
    for key, value in changes.items():
        if key == "sampling_percent":
            out["sampling"] = float(value) / 100
        elif key == "delay":
            out["delay_hours"] = float(value)
        elif key in ("quiet_start", "quiet_end"):
            out["quiet_hours"] = [changes["quiet_start"], changes["quiet_end"]]
        elif key in ("min_amount", "max_amount"):
            out.setdefault("filters", {})[key] = float(value)
        else:
            out[key] = int(value)
    return out


def test_priority_decides_which_survey_fatigue_lets_through(app, client, auth, api):
    auth.as_role("designer")
    first = _from_template(client, key="first-survey", template="transactional-nps")
    second = _from_template(client, key="second-survey", template="transactional-nps")
    _publish(client, first, start_sending=True)
    page = _publish(client, second, start_sending=True)
    assert "that survey is scheduled first and fatigue suppresses this one" in page
    statuses = {k: v["status"] for k, v in _statuses(api, "o-1").items()}
    assert statuses == {"first-survey": "scheduled", "second-survey": "suppressed"}
    raised = client.post(f"/staff/surveys/{second}/rule", data=_rule_form(page, priority="10"))
    assert raised.status_code == 303
    page = client.get(f"/staff/surveys/{second}").get_data(as_text=True)
    assert "this survey is scheduled first and fatigue suppresses that one" in page
    statuses = {k: v["status"] for k, v in _statuses(api, "o-2").items()}
    assert statuses == {"first-survey": "suppressed", "second-survey": "scheduled"}


def test_the_rule_editor_needs_the_dispatch_permission_and_a_csrf_token(app, client, auth):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    data = _rule_form(page)
    assert client.post(f"/staff/surveys/{survey_id}/rule", data=data | {"csrf_token": ""}).status_code == 400
    client.post("/staff/logout", data={"csrf_token": csrf_from(page)})
    auth.as_role("analyst")
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert "Edit the dispatch rule" not in page and "Start sending" not in page
    assert client.post(f"/staff/surveys/{survey_id}/rule", data=data).status_code in (400, 403)
    assert client.post(f"/staff/surveys/{survey_id}/sending", data=data).status_code in (400, 403)


def test_a_draft_started_after_a_rule_change_keeps_the_new_rule(app, client, auth):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = _publish(client, survey_id, start_sending=True)
    assert (
        client.post(f"/staff/surveys/{survey_id}/rule", data=_rule_form(page, fatigue_days="45")).status_code
        == 303
    )
    client.post(f"/staff/surveys/{survey_id}/edit", data={"csrf_token": csrf_from(page)})
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    publish = client.post(f"/staff/surveys/{survey_id}/publish", data={"csrf_token": csrf_from(page)})
    assert publish.status_code == 302
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import DispatchRule

        assert db.session.scalar(select(DispatchRule.fatigue_days)) == 45
    exported = client.get(f"/staff/surveys/{survey_id}/export.json").get_json()
    assert exported["dispatch"]["fatigue_days"] == 45


@pytest.mark.parametrize("garbage", ["NaN", "sNaN", "Infinity", "1e999999", "twelve"])
def test_a_number_field_refuses_what_is_not_a_number(app, client, auth, garbage):
    auth.as_role("designer")
    survey_id = _from_template(client)
    page = _publish(client, survey_id, start_sending=True)
    refused = client.post(f"/staff/surveys/{survey_id}/rule", data=_rule_form(page, delay=garbage))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Not a valid decimal value" in html or "between 0 and 8760" in html
