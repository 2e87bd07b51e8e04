"""Open links, the thank-you page (review link and opt-out), and racing submissions."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import csrf_from
from tests.respond.helpers import invite, one_page_survey, publish, responses, two_page_survey

REVIEW = "https://reviews.example.com/candor"


def test_an_open_link_is_off_until_the_company_turns_it_on(app, client):
    publish(app, one_page_survey("receipt"))
    assert client.get("/o/receipt").status_code == 404
    assert client.get("/o/no-such-survey").status_code == 404


def test_open_link_answers_are_anonymous_marked_and_once_per_browser(app, client):
    publish(app, one_page_survey("receipt"), open_link=True)
    page = client.get("/o/receipt", headers={"Accept-Language": "fa"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="fa" dir="rtl">' in html
    assert 'hreflang="en"' in html  # the other language is one tap away
    reply = client.post("/o/receipt?lang=fa", data={"csrf_token": csrf_from(html), "page": "1", "nps": "7"})
    assert reply.status_code == 303 and "/o/receipt/thanks" in reply.headers["Location"]
    [response] = responses(app)
    assert response.source == "open_link" and response.status == "complete"
    assert response.customer_id is None and response.invitation_id is None and response.locale == "fa"

    again = client.get("/o/receipt")
    assert "already answered" in again.get_data(as_text=True)
    client.post("/o/receipt", data={"csrf_token": csrf_from(html), "page": "1", "nps": "1"})
    assert len(responses(app)) == 1
    # Another browser is another respondent: the cookie is the duplicate guard, with the rate limit.
    other = app.test_client()
    html = other.get("/o/receipt").get_data(as_text=True)
    other.post("/o/receipt", data={"csrf_token": csrf_from(html), "page": "1", "nps": "2"})
    assert len(responses(app)) == 2


def test_open_link_submissions_are_rate_limited_per_address(app):
    app.config["OPEN_LINK_RATE_LIMIT"] = "2 per hour"
    publish(app, one_page_survey("receipt"), open_link=True)
    codes = []
    for _ in range(3):
        browser = app.test_client()
        html = browser.get("/o/receipt").get_data(as_text=True)
        codes.append(
            browser.post("/o/receipt", data={"csrf_token": csrf_from(html), "page": "1", "nps": "9"})
        )
    assert [c.status_code for c in codes] == [303, 303, 429]
    assert len(responses(app)) == 2


def test_a_multi_page_open_link_resumes_in_the_same_browser(app, client):
    publish(app, two_page_survey("kiosk"), open_link=True)
    html = client.get("/o/kiosk").get_data(as_text=True)
    client.post("/o/kiosk", data={"csrf_token": csrf_from(html), "page": "1", "nps": "3"})
    page2 = client.get("/o/kiosk").get_data(as_text=True)
    assert "Page 2 of 2" in page2
    client.post("/o/kiosk", data={"csrf_token": csrf_from(page2), "page": "2", "area": "product"})
    [response] = responses(app)
    assert response.status == "complete" and response.source == "open_link"


def test_promoters_see_the_review_link_only_where_it_is_on_and_it_is_recorded(app, client):
    survey_id = publish(app, one_page_survey(), review_url=REVIEW)
    promoter, detractor = invite(app, survey_id, "p"), invite(app, survey_id, "d")
    for token, score in ((promoter, "10"), (detractor, "4")):
        html = client.get(f"/s/{token}").get_data(as_text=True)
        client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), "page": "1", "nps": score})
    assert REVIEW in client.get(f"/s/{promoter}/thanks").get_data(as_text=True)
    assert REVIEW not in client.get(f"/s/{detractor}/thanks").get_data(as_text=True)
    # The link's thank-you page, opened elsewhere later, does not hint at the score.
    assert REVIEW not in app.test_client().get(f"/s/{promoter}/thanks").get_data(as_text=True)
    flags = {r.customer_id: r.review_prompted for r in responses(app)}
    assert sorted(flags.values()) == [False, True]


def test_no_review_link_unless_the_company_turned_it_on(app, client):
    plain = publish(app, one_page_survey("no-review"))
    token = invite(app, plain, "q")
    html = client.get(f"/s/{token}").get_data(as_text=True)
    client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), "page": "1", "nps": "10"})
    assert "public review" not in client.get(f"/s/{token}/thanks").get_data(as_text=True)
    assert responses(app, survey_id=plain)[0].review_prompted is False


def test_the_thank_you_page_opts_out_of_further_surveys(app, client):
    survey_id = publish(app, one_page_survey())
    token = invite(app, survey_id, "c1")
    html = client.get(f"/s/{token}").get_data(as_text=True)
    client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), "page": "1", "nps": "5"})
    thanks = client.get(f"/s/{token}/thanks").get_data(as_text=True)
    action = re.search(r'<form class="optout" method="post" action="([^"]+)"', thanks).group(1)
    done = client.post(action, data={"csrf_token": csrf_from(thanks)})
    assert done.status_code == 200 and "will not receive any more surveys" in done.get_data(as_text=True)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Customer

        assert db.session.scalar(select(Customer)).opted_out_at is not None
    assert 'class="optout"' not in client.get(f"/s/{token}/thanks").get_data(as_text=True)
    # A later purchase by this customer is suppressed with the reason.
    with app.app_context():
        from feedback.services.intake import ingest

        body = {
            "id": "later",
            "purchased_at": "2026-01-01T10:00:00+00:00",
            "amount": "5",
            "currency": "EUR",
            "customer": {"id": "c1"},
        }
        result = ingest.record_purchase(ingest.read_purchase(body))
        assert [o.reason for o in result.outcomes] == ["opted_out"]


def test_racing_final_posts_store_exactly_one_response(app):
    """Eight browsers (same cookie) submit the last page at once, through a real threaded server."""
    token = invite(app, publish(app, one_page_survey()))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        html = opener.open(f"{base}/s/{token}").read().decode()
        body = urllib.parse.urlencode({"csrf_token": csrf_from(html), "page": "1", "nps": "6"}).encode()
        barrier = threading.Barrier(8)
        codes: list[int] = []

        def submit(n: int) -> None:
            barrier.wait()
            reason = urllib.parse.urlencode({"reason": f"try {n}"}).encode()
            try:
                opener.open(f"{base}/s/{token}", data=body + b"&" + reason)
            except urllib.error.HTTPError as exc:
                codes.append(exc.code)

        workers = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=30)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert codes == [303] * 8
    [response] = responses(app)
    assert response.status == "complete"
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Answer

        assert len(list(db.session.scalars(select(Answer).where(Answer.response_id == response.id)))) == 2


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_answers_given_through_links_reach_the_results(app, client, auth):
    survey_id = publish(app, one_page_survey(), review_url=REVIEW, open_link=True)
    scores = {"a": "10", "b": "9", "c": "3"}
    for customer, score in scores.items():
        token = invite(app, survey_id, customer)
        html = client.get(f"/s/{token}").get_data(as_text=True)
        client.post(f"/s/{token}", data={"csrf_token": csrf_from(html), "page": "1", "nps": score})
    html = client.get("/o/one-page").get_data(as_text=True)
    client.post("/o/one-page", data={"csrf_token": csrf_from(html), "page": "1", "nps": "0"})
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Survey
        from feedback.services.reports import results

        out = results.build(db.session.get(Survey, survey_id))
    nps = out["metrics"]["nps"]
    assert (nps["n"], nps["promoters"], nps["detractors"]) == (3, 2, 1)
    assert out["invited"] == 3 and out["responded"] == 3
    assert out["open_link"]["n"] == 1  # kept apart from the invited sample
    assert out["review_prompts"]["n"] == 2
    auth.as_role("analyst")
    dashboard = client.get(f"/staff/?survey={survey_id}").get_data(as_text=True)
    assert "Answers that are not a random sample" in dashboard
    assert "2 promoters were offered a public review link" in dashboard


def test_designers_turn_on_the_open_link_and_review_prompt(app, client, auth):
    survey_id = publish(app, one_page_survey("receipt"))
    auth.as_role("designer")
    page = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    token = csrf_from(page)
    url = f"/staff/surveys/{survey_id}/respondents"
    bad = client.post(url, data={"csrf_token": token, "open_link": "y", "review_url": "javascript:alert(1)"})
    assert bad.status_code == 303 and client.get("/o/receipt").status_code == 404
    ok = client.post(url, data={"csrf_token": token, "open_link": "y", "review_url": REVIEW})
    assert ok.status_code == 303
    assert client.get("/o/receipt").status_code == 200
    assert "http://127.0.0.1:5000/o/receipt" in client.get(f"/staff/surveys/{survey_id}").get_data(
        as_text=True
    )
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import AuditEvent, Survey

        assert db.session.get(Survey, survey_id).review_prompt_url == REVIEW
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "respondent_access_changed"))


def test_analysts_cannot_change_respondent_access(app, client, auth):
    survey_id = publish(app, one_page_survey("receipt"))
    auth.as_role("analyst")
    token = csrf_from(client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True))
    reply = client.post(
        f"/staff/surveys/{survey_id}/respondents", data={"csrf_token": token, "open_link": "y"}
    )
    assert reply.status_code == 403
    assert client.get("/o/receipt").status_code == 404
