"""The builder through HTTP: create, add, edit in two languages, preview, publish; roles and CSRF."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import csrf_from


def _token(client, url):
    return csrf_from(client.get(url).get_data(as_text=True))


def _create_blank(client, locales=("en", "fa")):
    token = _token(client, "/staff/surveys/new")
    response = client.post(
        "/staff/surveys/new",
        data={
            "csrf_token": token,
            "template": "",
            "name": "Store visit",
            "key": "store-visit",
            "locales": list(locales),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/staff/surveys/(\d+)", response.headers["Location"]).group(1))


def _edit(client, survey_id, key, **fields):
    url = f"/staff/surveys/{survey_id}/questions/{key}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "role": "nps", "page": "1", "required": "y"}
    data.update(fields)
    return client.post(url, data=data)


def test_designer_builds_and_publishes(app, client, auth):
    auth.as_role("designer")
    survey_id = _create_blank(client)
    token = _token(client, f"/staff/surveys/{survey_id}")
    added = client.post(f"/staff/surveys/{survey_id}/questions", data={"csrf_token": token, "type": "nps"})
    assert added.status_code == 302
    key = added.headers["Location"].rsplit("/", 1)[1]
    saved = _edit(
        client,
        survey_id,
        key,
        text_en="How likely are you to recommend our amazing store to a friend?",
        text_fa="چقدر احتمال دارد فروشگاه ما را به یک دوست توصیه کنید؟",
        min_label_en="Not at all likely",
        max_label_en="Extremely likely",
        min_label_fa="اصلاً محتمل نیست",
        max_label_fa="بسیار محتمل",
    )
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200
    assert "praises what you are asking about" in html  # the server-side check ran on save
    overview = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert "1 error" in overview
    blocked = client.post(f"/staff/surveys/{survey_id}/publish", data={"csrf_token": csrf_from(overview)})
    assert blocked.status_code == 303
    _edit(
        client,
        survey_id,
        key,
        text_en="How likely are you to recommend our store to a friend?",
        text_fa="چقدر احتمال دارد فروشگاه ما را به یک دوست توصیه کنید؟",
        min_label_en="Not at all likely",
        max_label_en="Extremely likely",
        min_label_fa="اصلاً محتمل نیست",
        max_label_fa="بسیار محتمل",
    )
    overview = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    published = client.post(f"/staff/surveys/{survey_id}/publish", data={"csrf_token": csrf_from(overview)})
    assert published.status_code == 302
    assert "Version v1 is published" in client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)


def test_preview_in_persian_is_rtl_and_stores_nothing(app, client, auth):
    with app.app_context():
        from feedback.services.design import designing
        from surveys.templates import transactional_nps

        survey = designing.create_published(transactional_nps())
    auth.as_role("designer")
    page = client.get(f"/staff/surveys/{survey.id}/preview?locale=fa")
    html = page.get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert "ارسال" not in html and "بعدی" in html  # page 1 of 2: "Next" in Persian
    assert html.count('type="radio" name="nps"') == 11
    nxt = client.post(
        f"/staff/surveys/{survey.id}/preview?locale=fa&page=1",
        data={"csrf_token": csrf_from(html), "page": "1", "nps": "3", "go": "next"},
    )
    assert nxt.status_code == 302
    second = client.get(nxt.headers["Location"]).get_data(as_text=True)
    assert "چه کاری را می‌توانستیم بهتر انجام دهیم" in second  # the detractor wording
    assert "ارسال" in second  # "Submit" on the last page
    missing = client.post(
        f"/staff/surveys/{survey.id}/preview?locale=en&page=1",
        data={"csrf_token": csrf_from(html), "page": "1", "go": "next"},
    )
    assert missing.status_code == 422
    assert "Please answer this question." in missing.get_data(as_text=True)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Response

        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_reorder_and_delete(app, client, auth):
    auth.as_role("designer")
    survey_id = _create_blank(client, ("en",))
    token = _token(client, f"/staff/surveys/{survey_id}")
    for kind in ("nps", "open_text"):
        client.post(f"/staff/surveys/{survey_id}/questions", data={"csrf_token": token, "type": kind})
    client.post(
        f"/staff/surveys/{survey_id}/questions/q2/move", data={"csrf_token": token, "direction": "up"}
    )
    with app.app_context():
        from feedback.services.design import designing

        assert [q.key for q in designing.get_draft(survey_id).spec.questions] == ["q2", "q1"]
    client.post(f"/staff/surveys/{survey_id}/questions/q1/delete", data={"csrf_token": token})
    with app.app_context():
        assert [q.key for q in designing.get_draft(survey_id).spec.questions] == ["q2"]


def test_roles_and_csrf_on_builder_routes(app, client, auth):
    auth.as_role("designer")
    survey_id = _create_blank(client, ("en",))
    assert client.post(f"/staff/surveys/{survey_id}/questions", data={"type": "nps"}).status_code == 400
    client.post("/staff/logout", data={"csrf_token": _token(client, "/staff/")})
    auth.as_role("analyst")
    token = _token(client, f"/staff/surveys/{survey_id}")
    assert client.get(f"/staff/surveys/{survey_id}").status_code == 200
    assert (
        client.post(
            f"/staff/surveys/{survey_id}/questions", data={"csrf_token": token, "type": "nps"}
        ).status_code
        == 403
    )
    assert client.get("/staff/surveys/new").status_code == 403


def test_live_lint_endpoint(client, auth):
    auth.as_role("designer")
    token = _token(client, "/staff/surveys/new")
    response = client.post(
        "/staff/lint", json={"text": "Do you always shop here?", "lang": "en"}, headers={"X-CSRFToken": token}
    )
    assert response.get_json()["findings"][0]["code"] == "absolute"
    assert client.post("/staff/lint", json={"text": "x"}).status_code == 400  # no CSRF token
    bad = client.post("/staff/lint", json={"text": 5}, headers={"X-CSRFToken": token})
    assert bad.status_code == 400


def test_question_editor_escapes_what_it_shows(app, client, auth):
    auth.as_role("designer")
    survey_id = _create_blank(client, ("en",))
    token = _token(client, f"/staff/surveys/{survey_id}")
    client.post(f"/staff/surveys/{survey_id}/questions", data={"csrf_token": token, "type": "open_text"})
    _edit(client, survey_id, "q1", role="reason", text_en="<script>alert(1)</script> Why?")
    html = client.get(f"/staff/surveys/{survey_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_wording_findings_reach_the_designer_in_their_language(client, auth):
    auth.as_role("designer")
    token = _token(client, "/staff/surveys/new")
    body = {"text": "Do you always shop here?", "lang": "en"}
    english = client.post("/staff/lint", json=body, headers={"X-CSRFToken": token}).get_json()["findings"][0]
    persian = client.post(
        "/staff/lint", json=body, headers={"X-CSRFToken": token, "Accept-Language": "fa"}
    ).get_json()["findings"][0]
    # The rule's sentence and its advice come from the catalog; the customer's words stay.
    assert english["code"] == persian["code"] == "absolute"
    assert english["message"].startswith("“always”") and "always" in persian["message"]
    assert re.search("[\u0600-\u06ff]{4}", persian["message"]) and "absolute" not in persian["message"]
