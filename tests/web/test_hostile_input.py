"""Input an attacker or a careless integration sends: a clear 4xx, never a 500, nothing stored.

Each case was found by probing a running instance (by hand and with schemathesis); each
runs on SQLite and on PostgreSQL, which must answer alike.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.purchases import purchase, survey


@pytest.fixture
def strict(app):
    """Unexpected errors become 500 responses, as in production, instead of test failures."""
    app.config["PROPAGATE_UNEXPECTED"] = False
    return app


def _count(app, model) -> int:
    with app.app_context():
        from feedback.extensions import db

        return db.session.scalar(select(func.count()).select_from(model))


def _problem(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    return response.get_json()


FAR_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]


@pytest.mark.parametrize("moment", FAR_DATES)
@pytest.mark.parametrize("field", ["purchased_at", "delivered_at", "customer_last_invited_at"])
def test_dates_that_overflow_with_their_offset_are_refused(strict, api, moment, field):
    from feedback.models import Purchase

    body = purchase("o-1", "c-1", **{field: moment})
    _problem(api.post("/purchases", body), 422)
    assert _count(strict, Purchase) == 0


@pytest.mark.parametrize("moment", FAR_DATES)
def test_query_dates_that_overflow_are_refused(strict, api, moment):
    survey_id = survey(strict)
    _problem(api.get(f"/responses?since={moment}"), 422)
    _problem(api.get(f"/surveys/{survey_id}/results?from={moment}"), 422)
    _problem(api.get(f"/surveys/{survey_id}/results?to={moment}"), 422)
    # The last day there is: its end would be in the year 10000.
    _problem(api.get(f"/surveys/{survey_id}/results?to=9999-12-31"), 422)


@pytest.mark.parametrize(
    "body_change",
    [
        {"id": "o\x00x"},
        {"customer_name": "Ada\x00"},
        {"customer_id": "c\x00"},
        {"properties": {"store": "S\x001"}},
        {"properties": {"st\x00re": "S1"}},
        {"channel": "web\r\nX-Injected: 1"},
    ],
)
def test_control_characters_in_text_fields_are_refused(strict, api, body_change):
    from feedback.models import Customer

    _problem(api.post("/purchases", purchase("o-1", "c-1", **body_change)), 400, 422)
    assert _count(strict, Customer) == 0


def test_nul_in_paths_and_query_strings_is_refused(strict, api):
    _problem(api.get("/customers/c%00x"), 400, 422)
    _problem(api.get("/responses?survey=a%00b"), 400, 422)
    _problem(api.get("/responses?cursor=%00"), 400, 422)


@pytest.mark.parametrize(
    "raw",
    [
        '{"id": "\\ud800", "purchased_at": "2026-01-01T00:00:00Z"}',
        '{"id": "o-1", "amount": NaN}',
        '{"id": "o-1", "amount": Infinity}',
        "[" * 5000 + "]" * 5000,
        '{"a":' * 40 + "1" + "}" * 40,
    ],
)
def test_json_that_is_not_json_candor_accepts(strict, api, raw):
    response = api.client.post(
        "/api/v1/purchases", data=raw, content_type="application/json", headers=api.headers
    )
    problem = _problem(response, 400, 422)
    assert re.search("JSON|NUL", problem["detail"] + str(problem.get("errors")))
    surveys = api.client.post(
        "/api/v1/surveys", data=raw, content_type="application/json", headers=api.headers
    )
    _problem(surveys, 400, 422)


@pytest.mark.parametrize("amount", [1e12, "999999999999.999", "1e400", -1])
def test_amounts_the_database_cannot_hold_are_refused(strict, api, amount):
    from feedback.models import Purchase

    _problem(api.post("/purchases", purchase("o-1", "c-1", amount=amount)), 422)
    body = purchase("o-2", "c-2")
    body["items"][0]["price"] = amount
    _problem(api.post("/purchases", body), 422)
    assert _count(strict, Purchase) == 0


def test_the_largest_amount_the_column_holds_is_stored(strict, api):
    assert api.post("/purchases", purchase("o-1", "c-1", amount="999999999999.99")).status_code == 201


def test_ids_beyond_64_bits_and_odd_digits_are_clear_errors(strict, api):
    _problem(api.get("/surveys/99999999999999999999"), 404)
    _problem(api.get("/surveys/99999999999999999999/results"), 404)
    _problem(api.get("/responses?survey=99999999999999999999"), 404)
    _problem(api.get("/responses?limit=%C2%B9"), 422)  # "¹", which int() would read
    _problem(api.get("/responses?limit=99999999999999999999999"), 422)


def test_a_body_over_the_maximum_is_413(strict, api):
    big = {"id": "o-1", "padding": "x" * (3 * 1024 * 1024)}
    _problem(api.post("/purchases", big), 413)


@pytest.mark.parametrize(
    ("field", "value"), [("time_zone", "localtime"), ("time_zone", "Factory"), ("locale", "zz")]
)
def test_zone_files_and_unknown_languages_are_refused(strict, api, field, value):
    _problem(api.post("/customers", {"id": "c-1", field: value}), 422)


def test_bidi_overrides_are_stripped_from_names(strict, api):
    from feedback.models import Customer

    assert api.post("/customers", {"id": "c-1", "name": "Ada \u202egnirts\u202c Lovelace"}).status_code in (
        200,
        201,
    )
    with strict.app_context():
        from feedback.extensions import db

        assert db.session.scalar(select(Customer.name)) == "Ada gnirts Lovelace"


# -- the staff side


def test_json_posted_to_staff_forms_is_a_clear_error(strict, client, auth):
    assert client.post("/staff/login", json=[1]).status_code == 400
    auth.as_role("designer")
    token = csrf_from(client.get("/staff/surveys/new").get_data(as_text=True))
    lint = client.post("/staff/lint", json=[1], headers={"X-CSRFToken": token})
    assert lint.status_code == 400 and "text" in lint.get_json()["error"]
    assert client.post("/staff/lint", json=[1]).status_code == 400  # no token: the CSRF page


@pytest.mark.parametrize(
    "target",
    ["/%0a/x", "/%09/evil.example", "/%0d%0a/evil.example", "//evil.example", "https://evil.example/"],
)
def test_sign_in_never_redirects_off_site(strict, client, auth, target):
    email = auth.create("analyst")
    page = client.get("/staff/login").get_data(as_text=True)
    reply = client.post(
        f"/staff/login?next={target}",
        data={"email": email, "password": "correct horse battery", "csrf_token": csrf_from(page)},
    )
    assert reply.status_code == 302 and reply.headers["Location"] == "/staff/"


def test_a_safe_next_is_kept(strict, client, auth):
    email = auth.create("analyst")
    page = client.get("/staff/login").get_data(as_text=True)
    reply = client.post(
        "/staff/login?next=/staff/dispatch%3Fdays%3D7",
        data={"email": email, "password": "correct horse battery", "csrf_token": csrf_from(page)},
    )
    assert reply.headers["Location"] == "/staff/dispatch?days=7"


def test_staff_pages_answer_garbage_with_4xx(strict, client, auth):
    survey(strict)
    auth.as_role("admin")
    assert client.get("/staff/planner?margin=sNaN").status_code == 422
    assert client.get("/staff/planner?margin=Infinity&metric=nps").status_code == 422
    assert client.get("/staff/?from=0001-01-01&to=9999-12-31").status_code == 422
    assert client.get("/staff/surveys/99999999999999999999").status_code == 404
    assert client.get("/staff/?survey=99999999999999999999").status_code == 200


# -- the public side


def test_a_nul_in_a_comment_is_dropped_and_the_answer_kept(strict, client):
    from tests.respond.helpers import answers, invite, one_page_survey, publish, responses

    token = invite(strict, publish(strict, one_page_survey()))
    page = client.get(f"/s/{token}").get_data(as_text=True)
    reply = client.post(
        f"/s/{token}",
        data={"csrf_token": csrf_from(page), "page": "1", "nps": "8", "reason": "Fine\x00 but\x07 slow"},
    )
    assert reply.status_code == 303
    (response,) = responses(strict)
    assert answers(strict, response.id) == {"nps": 8.0, "reason": "Fine but slow"}


def test_a_nul_in_an_other_answer_is_dropped(strict, client):
    from tests.respond.helpers import answers, invite, publish, responses, two_page_survey

    token = invite(strict, publish(strict, two_page_survey()))
    page = client.get(f"/s/{token}").get_data(as_text=True)
    client.post(f"/s/{token}", data={"csrf_token": csrf_from(page), "page": "1", "nps": "9"})
    page = client.get(f"/s/{token}").get_data(as_text=True)
    reply = client.post(
        f"/s/{token}",
        data={"csrf_token": csrf_from(page), "page": "2", "area": "other", "area__other": "the\x00 box"},
    )
    assert reply.status_code == 303, reply.get_data(as_text=True)[:300]
    (response,) = responses(strict)
    with strict.app_context():
        from feedback.extensions import db
        from feedback.models import Answer

        texts = set(db.session.scalars(select(Answer.text).where(Answer.response_id == response.id)))
    assert "the box" in texts and answers(strict, response.id)["area"] == ["other"]
