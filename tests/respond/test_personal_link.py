"""Answering through a personal link: storing, resuming, single use, and the refusals."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from tests.conftest import csrf_from
from tests.respond.helpers import (
    NOW,
    answers,
    count,
    invite,
    one_page_survey,
    publish,
    responses,
    two_page_survey,
)


def open_page(client, token, query=""):
    response = client.get(f"/s/{token}{query}")
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def post(client, token, html, **fields):
    return client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), **fields})


def test_a_single_page_survey_is_stored_with_everything_analysis_needs(app, client):
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id)
    html = open_page(client, token)
    reply = post(client, token, html, page="1", nps="9", reason="Quick & friendly")
    assert reply.status_code == 303 and reply.headers["Location"].endswith(f"/s/{token}/thanks")

    [response] = responses(app)
    assert response.status == "complete" and response.source == "invitation"
    assert response.submitted_at is not None and response.period == NOW.strftime("%Y-%m")
    assert response.sales_channel == "web" and response.category == "home"
    assert answers(app, response.id) == {"nps": 9.0, "reason": "Quick & friendly"}
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer, Invitation

        invitation = db.session.get(Invitation, response.invitation_id)
        assert invitation.status == "responded" and invitation.responded_at is not None
        assert response.customer_id == invitation.customer_id
        assert db.session.get(Customer, invitation.customer_id).last_responded_at is not None


def test_a_score_link_preselects_without_storing(app, client):
    token = invite(app, publish(app, one_page_survey()))
    html = open_page(client, token, "?score=9")
    assert re.search(r'value="9" checked', html)
    assert len(re.findall(r"\" checked", html)) == 1
    for junk in ("?score=11", "?score=-1", "?score=nine", "?score=9%00"):
        assert '" checked' not in open_page(client, token, junk)
    assert count(app, _response_model()) == 0


def test_a_scanner_following_every_link_in_the_email_stores_nothing(app, client):
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer, Invitation
        from feedback.services.design import catalog
        from feedback.services.dispatch import messages

        invitation = db.session.scalar(select(Invitation))
        customer = db.session.get(Customer, invitation.customer_id)
        spec = catalog.definition(catalog.live_version(survey_id))
        message = messages.email(invitation, customer, spec, token)
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
    urls = set(re.findall(r'href="([^"]+)"', html)) | set(re.findall(r"https?://\S+", text))
    paths = {re.sub(r"^https?://[^/]+", "", u).replace("&amp;", "&") for u in urls}
    survey_links = [p for p in paths if p.startswith(f"/s/{token}")]
    assert len(survey_links) >= 11, paths  # the eleven score links and the plain one
    for path in paths:
        if path.startswith("/"):
            assert client.get(path).status_code in (200, 302, 303), path
            client.head(path)
    assert count(app, _response_model()) == 0
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        assert db.session.scalar(select(Customer)).opted_out_at is None


def test_a_used_link_cannot_submit_again_and_does_not_reveal_the_answers(app, client):
    token = invite(app, publish(app, one_page_survey()))
    html = open_page(client, token)
    post(client, token, html, page="1", nps="3", reason="Broken lid")
    again = post(client, token, html, page="1", nps="10", reason="Changed my mind")
    assert again.status_code == 303
    [response] = responses(app)
    assert answers(app, response.id) == {"nps": 3.0, "reason": "Broken lid"}

    stranger = app.test_client()
    page = stranger.get(f"/s/{token}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "already answered" in body
    assert "Broken lid" not in body and 'name="nps"' not in body


def test_a_double_post_stores_one_response(app, client):
    token = invite(app, publish(app, one_page_survey()))
    html = open_page(client, token)
    first = post(client, token, html, page="1", nps="8")
    second = post(client, token, html, page="1", nps="8")
    assert first.status_code == second.status_code == 303
    assert len(responses(app)) == 1
    assert count(app, _answer_model()) == 1


def test_expired_withdrawn_forged_and_malformed_links_are_refused(app, client):
    survey_id = publish(app, one_page_survey())
    expired = invite(app, survey_id, "c1")
    cancelled = invite(app, survey_id, "c2")
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer, Invitation

        first = db.session.scalar(select(Customer.id).where(Customer.external_id == "c1"))
        db.session.execute(
            update(Invitation)
            .where(Invitation.customer_id == first)
            .values(expires_at=NOW - timedelta(minutes=1))
        )
        db.session.execute(
            update(Invitation).where(Invitation.customer_id != first).values(status="cancelled")
        )
        db.session.commit()
    html = open_page(client, invite(app, survey_id, "c3"))  # a valid page, for a CSRF token
    for token in (expired, cancelled):
        assert client.get(f"/s/{token}").status_code == 410
        refused = post(client, token, html, page="1", nps="9")
        assert refused.status_code == 410
        assert "This survey has closed" in refused.get_data(as_text=True)
    forged = expired[:-4] + ("AAAA" if not expired.endswith("AAAA") else "BBBB")
    for token in (forged, "short", "x" * 200, "bad$chars!!aaaaaaaaaaaaa", "%00" * 8):
        page = client.get(f"/s/{token}")
        assert page.status_code == 404, token
        assert "This link is not valid" in page.get_data(as_text=True)
        assert post(client, token, html, page="1", nps="9").status_code == 404
    assert responses(app) == []


def test_one_customers_link_only_answers_for_that_customer(app, client):
    survey_id = publish(app, one_page_survey())
    mine, theirs = invite(app, survey_id, "alice"), invite(app, survey_id, "bob")
    html = open_page(client, mine)
    post(client, mine, html, page="1", nps="10")
    [response] = responses(app)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        assert db.session.get(Customer, response.customer_id).external_id == "alice"
    # Bob's link is untouched and still opens his own, empty survey.
    assert '" checked' not in open_page(app.test_client(), theirs)


def test_a_half_done_response_survives_and_resumes_on_another_device(app, client):
    token = invite(app, publish(app, two_page_survey()))
    html = open_page(client, token)
    assert "Page 1 of 2" in html
    saved = post(client, token, html, page="1", nps="4", reason="Late")
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/s/{token}")
    [partial] = responses(app)
    assert partial.status == "partial" and partial.page == 2 and partial.submitted_at is None
    assert answers(app, partial.id) == {"nps": 4.0, "reason": "Late"}

    phone = app.test_client()  # no cookies: the link alone brings the customer back
    page2 = open_page(phone, token)
    assert "Page 2 of 2" in page2 and "What should we change first?" in page2
    back = post(phone, token, page2, page="2", go="back", area="product")
    assert back.status_code == 303
    page1 = open_page(phone, token)
    assert re.search(r'value="4" checked', page1) and "Late</textarea>" in page1
    post(phone, token, page1, page="1", nps="9", reason="Late, but fine")
    page2 = open_page(phone, token)
    assert "What should we change first?" not in page2  # shown to detractors only
    assert re.search(r'value="product" checked', page2)
    done = post(phone, token, page2, page="2", area="other", area__other="Gift wrap")
    assert done.status_code == 303 and done.headers["Location"].endswith("/thanks")
    [response] = responses(app)
    assert response.status == "complete"
    assert answers(app, response.id) == {
        "nps": 9.0,
        "reason": "Late, but fine",
        "area": ["other"],
    }
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Answer

        other = db.session.scalar(select(Answer.text).where(Answer.choices.is_not(None)))
        assert other == "Gift wrap"


def test_a_final_submit_that_fails_midway_leaves_the_saved_draft_as_it_was(app, client, monkeypatch):
    """The claim of the response and its answers are one transaction, even on a link whose
    reads run without one: a failure after the claim must not leave a 'complete' response."""
    token = invite(app, publish(app, two_page_survey()))
    post(client, token, open_page(client, token), page="1", nps="4", reason="Late")
    page2 = open_page(client, token)

    from feedback.services.respond import answer_rows

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(answer_rows, "write", broken)
    try:
        failed = post(client, token, page2, page="2", area="delivery")
        assert failed.status_code == 500
    except RuntimeError:
        pass  # the test app may propagate the error instead of rendering the 500 page
    [response] = responses(app)
    assert response.status == "partial" and response.submitted_at is None
    assert answers(app, response.id) == {"nps": 4.0, "reason": "Late"}
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation

        assert db.session.scalar(select(Invitation.status)) == "sent"
    monkeypatch.undo()
    done = post(client, token, open_page(client, token), page="2", area="delivery")
    assert done.status_code == 303 and responses(app)[0].status == "complete"


def test_a_hidden_question_answered_earlier_is_dropped_on_submit(app, client):
    token = invite(app, publish(app, two_page_survey()))
    html = open_page(client, token)
    post(client, token, html, page="1", nps="2")
    page2 = open_page(client, token)
    post(client, token, page2, page="2", go="back", area="delivery", detail="Everything")
    page1 = open_page(client, token)
    post(client, token, page1, page="1", nps="10")
    page2 = open_page(client, token)
    post(client, token, page2, page="2", area="delivery")
    [response] = responses(app)
    assert answers(app, response.id) == {"nps": 10.0, "area": ["delivery"]}


def test_errors_keep_the_answers_and_point_at_the_field(app, client):
    token = invite(app, publish(app, one_page_survey()))
    html = open_page(client, token)
    reply = post(client, token, html, page="1", reason="<script>alert(1)</script> typed first")
    body = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert "&lt;script&gt;alert(1)&lt;/script&gt; typed first</textarea>" in body
    assert 'aria-describedby="nps-anchors nps-error"' in body and 'id="nps-error"' in body
    assert '<a href="#nps">' in body
    reply = post(client, token, html, page="1", nps="12")
    assert reply.status_code == 422 and "Please choose one of the options." in reply.get_data(as_text=True)
    assert responses(app) == []


def test_a_missing_or_stale_csrf_token_loses_nothing_and_stores_nothing(app, client):
    token = invite(app, publish(app, one_page_survey()))
    open_page(client, token)
    reply = client.post(f"/s/{token}", data={"page": "1", "nps": "7", "reason": "Kept"})
    body = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert re.search(r'value="7" checked', body) and "Kept</textarea>" in body
    assert "please send them again" in body
    assert responses(app) == []
    again = post(client, token, body, page="1", nps="7", reason="Kept")
    assert again.status_code == 303 and len(responses(app)) == 1


def test_persian_pages_are_right_to_left_and_localized(app, client):
    token = invite(app, publish(app, one_page_survey()), locale="fa")
    html = open_page(client, token)
    assert '<html lang="fa" dir="rtl">' in html
    assert ">ارسال</button>" in html
    assert "چقدر احتمال دارد" in html
    reply = post(client, token, html, page="1", nps="6")
    thanks = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in thanks and "سپاس" in thanks
    assert responses(app)[0].locale == "fa"


def test_unknown_links_follow_the_browser_language(app):
    client = app.test_client()
    page = client.get("/s/AAAAAAAAAAAAAAAAAAAAAA", headers={"Accept-Language": "ru,en;q=0.5"})
    assert page.status_code == 404 and '<html lang="ru" dir="ltr">' in page.get_data(as_text=True)


def test_public_pages_are_rate_limited(app, client):
    app.config["PUBLIC_RATE_LIMIT"] = "3 per minute"
    token = invite(app, publish(app, one_page_survey()))
    codes = [client.get(f"/s/{token}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # The limit is set once for the whole blueprint; each public page has its own allowance.
    assert [client.get("/privacy").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [client.get(f"/u/{token}").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.post(f"/s/{token}", data={"page": "1"}).status_code == 400


def test_the_page_is_small_and_self_contained(app, client):
    token = invite(app, publish(app, two_page_survey()))
    html = open_page(client, token)
    assert len(html.encode()) < 30_000
    assert not re.search(r'<(link|script)[^>]+(href|src)="https?:', html)
    # Works without JavaScript: the one script is the optional character counter of long answers,
    # served from the app; the form is plain HTML that posts without it.
    assert re.findall(r"<script[^>]*>", html) == [
        re.search(r'<script src="/static/respond.js"[^>]*>', html).group(0)
    ]
    assert "onclick" not in html and "onsubmit" not in html


def _response_model():
    from feedback.models import Response

    return Response


def _answer_model():
    from feedback.models import Answer

    return Answer


def test_a_submit_that_loses_a_race_to_the_same_link_stores_nothing_more(app, client):
    """Two requests that both found the link open: the second's insert clashes with the
    first's response, and it reports the link as answered instead of failing."""
    token = invite(app, publish(app, one_page_survey()))
    html = open_page(client, token)
    from feedback.services.respond import links, responding

    with app.app_context():
        late = links.visit(token)
        assert late.state == "open"
        assert post(client, token, html, page="1", nps="8").status_code == 303
        step = responding.save_page(
            late.draft, 1, {"page": ["1"], "nps": ["3"]}, on_submit=links.on_submit(late.invitation)
        )
        assert step.kind == "already_submitted"
    [response] = responses(app)
    assert answers(app, response.id) == {"nps": 8.0}
