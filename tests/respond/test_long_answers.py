"""A long comment is never cut: the page shows the limit, and an answer over it is refused with
a clear message and shown again in full, so the customer can shorten it."""

from __future__ import annotations

from tests.respond.helpers import invite, one_page_survey, publish, responses, two_page_survey
from tests.respond.test_personal_link import open_page, post


def test_the_page_shows_the_limit_and_does_not_cut_in_the_browser(app, client):
    html = open_page(client, invite(app, publish(app, one_page_survey())))
    assert "Up to 2,000 characters." in html
    assert 'data-max="2000"' in html and "maxlength" not in html


def test_an_over_long_comment_is_refused_and_kept_whole(app, client):
    token = invite(app, publish(app, one_page_survey()))
    html = open_page(client, token)
    long = "The parcel came late. " * 546  # 12,012 characters
    reply = post(client, token, html, page="1", nps="4", reason=long)
    body = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert "longer than the limit shown with it" in body
    assert long.strip() + "</textarea>" in body  # every character is still there
    assert 'value="4" checked' in body
    assert responses(app) == []
    fixed = post(client, token, body, page="1", nps="4", reason=long[:1990])
    assert fixed.status_code == 303
    (stored,) = responses(app)
    assert stored.status == "complete"


def test_an_over_long_other_answer_is_kept_too(app, client):
    token = invite(app, publish(app, two_page_survey()))
    html = open_page(client, token)
    page2 = post(client, token, html, page="1", nps="9")
    html = open_page(client, token)
    other = "x" * 700
    reply = post(client, token, html, page="2", area="other", area__other=other)
    body = reply.get_data(as_text=True)
    assert page2.status_code == 303 and reply.status_code == 422
    assert f'value="{other}"' in body
