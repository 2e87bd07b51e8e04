"""links.submit_at_once(): a one-page answer in one statement, or None for the general path.

It must store exactly what the general path stores, and return None (storing nothing)
whenever the general path has something to decide or explain."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text, update

from feedback.models import Response
from tests.respond.helpers import NOW, answers, invite, one_page_survey, publish, responses, two_page_survey

FORM = {"page": ["1"], "nps": ["9"], "reason": ["Quick & friendly"]}
# Every column but those that name this response, its link and its moment.
COMPARED = [
    c.name
    for c in Response.__table__.columns
    if c.name not in ("id", "invitation_id", "customer_id", "started_at", "submitted_at")
]


def version_of(app, survey_id: int) -> int:
    with app.app_context():
        from feedback.services.design import catalog

        return catalog.live_version(survey_id).id


def at_once(app, client, token: str, hint, form=FORM, page: int = 1, back: bool = False):
    """Open the page first, as a customer does, so that this process has the version parsed."""
    client.get(f"/s/{token}")
    with app.test_request_context():
        from feedback.services.respond import links

        return links.submit_at_once(token, hint, page, form, back=back)


def on_postgresql(app) -> bool:
    with app.app_context():
        from feedback.services import persist

        return persist.dialect() == "postgresql"


def test_it_stores_what_the_general_path_stores(app, client):
    survey_id = publish(app, one_page_survey(), review_url="https://reviews.example.com/us")
    version = str(version_of(app, survey_id))
    # A locale the survey lacks falls back to its default on both paths.
    quick, general = invite(app, survey_id, "c1", locale="ru"), invite(app, survey_id, "c2", locale="ru")
    step = at_once(app, client, quick, version)
    if not on_postgresql(app):
        assert step is None and responses(app) == []  # SQLite always takes the general path
        return
    assert step.kind == "submitted" and step.review_prompted is True
    assert at_once(app, client, general, None) is None  # no hint: the general path
    reply = client.post(
        f"/s/{general}",
        data={"csrf_token": _csrf(client, general), "nps": "9", "page": "1", "reason": "Quick & friendly"},
    )
    assert reply.status_code == 303
    first, second = responses(app)
    assert first.id == step.response_id and first.customer_id != second.customer_id
    assert {c: getattr(first, c) for c in COMPARED} == {c: getattr(second, c) for c in COMPARED}
    assert first.locale == "en" and first.status == "complete" and first.review_prompted is True
    assert first.submitted_at is not None and first.started_at == first.submitted_at
    assert answers(app, first.id) == answers(app, second.id) == {"nps": 9.0, "reason": "Quick & friendly"}
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer, Invitation

        for response in (first, second):
            invitation = db.session.get(Invitation, response.invitation_id)
            assert invitation.status == "responded" and invitation.responded_at is not None
            assert db.session.get(Customer, response.customer_id).last_responded_at is not None


def _csrf(client, token):
    from tests.conftest import csrf_from

    return csrf_from(client.get(f"/s/{token}").get_data(as_text=True))


def test_a_passive_score_is_not_offered_the_review_link(app, client):
    survey_id = publish(app, one_page_survey(), review_url="https://reviews.example.com/us")
    token = invite(app, survey_id)
    step = at_once(app, client, token, str(version_of(app, survey_id)), {**FORM, "nps": ["8"]})
    if on_postgresql(app):
        assert step.kind == "submitted" and step.review_prompted is False
        assert responses(app)[0].review_prompted is False
    else:
        assert step is None


def test_every_case_the_general_path_must_decide_stores_nothing(app, client):
    survey_id = publish(app, one_page_survey())
    version = str(version_of(app, survey_id))
    other_version = str(version_of(app, publish(app, one_page_survey("other"))))
    token = invite(app, survey_id)
    cases = {
        "no hint": (token, None, FORM),
        "a hint that is not a number": (token, "1 OR 1=1", FORM),
        "a version this process has not parsed": (token, "999999", FORM),
        "another survey's version": (token, other_version, FORM),
        "a malformed token": ("not a token!", version, FORM),
        "an unknown token": ("A" * 22, version, FORM),
        "a missing required answer": (token, version, {"page": ["1"], "reason": ["no score"]}),
        "a score off the scale": (token, version, {"page": ["1"], "nps": ["11"]}),
    }
    for case, (link, hint, form) in cases.items():
        assert at_once(app, client, link, hint, form) is None, case
    assert at_once(app, client, token, version, back=True) is None, "a 'back' post"
    assert responses(app) == []

    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation

        closed = {"expired": {"expires_at": NOW - timedelta(minutes=1)}, "withdrawn": {"status": "cancelled"}}
        for case, change in closed.items():
            db.session.execute(update(Invitation).values(**change))
            db.session.commit()
            assert at_once(app, client, token, version) is None, case
            db.session.execute(update(Invitation).values(status="sent", expires_at=NOW + timedelta(days=14)))
            db.session.commit()
    assert responses(app) == []


def test_a_half_done_link_is_left_to_the_general_path(app, client):
    survey_id = publish(app, two_page_survey())
    token = invite(app, survey_id)
    version = str(version_of(app, survey_id))
    # Page 1 of 2 is not the last page.
    assert at_once(app, client, token, version, {"page": ["1"], "nps": ["4"], "reason": ["Late"]}) is None
    client.post(f"/s/{token}", data={"csrf_token": _csrf(client, token), "page": "1", "nps": "4"})
    [draft] = responses(app)
    assert draft.status == "partial"
    # A half-done response exists: the general path resumes it.
    assert at_once(app, client, token, version, {"page": ["2"], "area": ["delivery"]}, page=2) is None
    assert at_once(app, client, token, version, {"page": ["1"], "nps": ["9"]}) is None
    assert [r.status for r in responses(app)] == ["partial"]
    assert answers(app, draft.id) == {"nps": 4.0}


def test_a_back_post_on_the_only_page_keeps_the_answers_without_submitting(app, client):
    # There is no Back button on a first page, but a crafted post must mean the same on both paths.
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id)
    fields = {"csrf_token": _csrf(client, token), "version": str(version_of(app, survey_id))}
    reply = client.post(f"/s/{token}", data={**fields, "page": "1", "nps": "9", "go": "back"})
    assert reply.status_code == 303 and reply.headers["Location"].endswith(f"/s/{token}")
    [draft] = responses(app)
    assert draft.status == "partial" and answers(app, draft.id) == {"nps": 9.0}


def test_an_answered_link_is_left_to_the_general_path(app, client):
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id)
    client.post(f"/s/{token}", data={"csrf_token": _csrf(client, token), "page": "1", "nps": "7"})
    assert at_once(app, client, token, str(version_of(app, survey_id))) is None
    [response] = responses(app)
    assert answers(app, response.id) == {"nps": 7.0}


def test_a_race_lost_to_another_submit_returns_none_and_keeps_the_winner(app, client):
    if not on_postgresql(app):
        pytest.skip("the one-statement submit runs on PostgreSQL only")
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id)
    version = str(version_of(app, survey_id))
    client.get(f"/s/{token}")
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation

        invitation = db.session.scalar(select(Invitation))
        values = {"s": survey_id, "v": int(version), "i": invitation.id, "c": invitation.customer_id}
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    winner = engine.connect()
    winner.begin()
    winner.execute(
        text(
            "INSERT INTO response (survey_id, version_id, invitation_id, customer_id, source, locale, "
            "status, page, review_prompted, started_at, submitted_at, period, segments) VALUES "
            "(:s, :v, :i, :c, 'invitation', 'en', 'complete', 1, false, now(), now(), '2026-01', '{}')"
        ),
        values,
    )
    result = {}

    def loser():
        with app.test_request_context():
            from feedback.services.respond import links

            result["step"] = links.submit_at_once(token, version, 1, FORM)

    thread = threading.Thread(target=loser)
    thread.start()
    time.sleep(0.5)  # the loser's insert now waits on the winner's unique key
    assert thread.is_alive()
    winner.commit()
    thread.join(10)
    winner.close()
    engine.dispose()
    assert result["step"] is None
    [response] = responses(app)
    assert response.period == "2026-01" and answers(app, response.id) == {}


def test_no_response_yet_is_checked_by_index_whatever_the_statistics(app, client):
    # A plan made while the response table was empty (a new install, with autovacuum off or
    # not yet run; psycopg keeps prepared plans) once checked "no response yet" by scanning
    # every response, so each submit was slower than the last.
    if not on_postgresql(app):
        pytest.skip("the one-statement submit runs on PostgreSQL only")
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id)
    client.get(f"/s/{token}")
    with app.app_context():
        from feedback.extensions import db
        from feedback.services import persist, tokens
        from feedback.services.respond import links, response_sql
        from feedback.services.respond.published import cached

        version_id = version_of(app, survey_id)
        published_at = cached(version_id)[0]
        driven = persist.driven(response_sql._by_token(2))
        params = {
            **driven.defaults,
            "digest": tokens.digest(token),
            "version_id": version_id,
            "published_at": published_at,
            "closed": list(links.CLOSED_STATUSES),
            "locales": ["en"],
            "default_locale": "en",
            "page": 1,
            "promoter": True,
            "now": NOW,
            "period": "2026-11",
            **{f"{k}{i}": None for i in range(2) for k in "qntc"},
            "q0": 1,
            "q1": 2,
        }
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("ANALYZE response")
            cursor.execute("EXPLAIN (FORMAT JSON) " + driven.sql, params)
            plan = cursor.fetchone()[0]
        finally:
            connection.rollback()
            connection.close()
    scanned = set()

    def walk(node):
        if node.get("Node Type") == "Seq Scan":
            scanned.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    assert "response" not in scanned, scanned
