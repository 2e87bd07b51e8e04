"""GET /api/v1/comments and PATCH /api/v1/comments/<id>: themes in, corrections kept, no
contact details out."""

from __future__ import annotations

import pytest

from tests.insights.helpers import Said, seed

SAID = [
    Said(2, "The courier was rude, write to me at ann@example.org"),
    Said(9, "fast delivery, thanks"),
    Said(4, "the box was crushed"),
]


@pytest.fixture
def headers(app):
    with app.app_context():
        from feedback.services import accounts

        return {"Authorization": f"Bearer {accounts.create_api_key('voice')[1]}"}


def test_comments_with_themes_and_no_contact_details(app, client, headers):
    survey_id = seed(app, SAID)
    body = client.get("/api/v1/comments", headers=headers).get_json()
    assert body["total"] == 3 and len(body["comments"]) == 3
    first = next(c for c in body["comments"] if "courier" in c["text"])
    assert "ann@example.org" not in first["text"]
    assert first["survey"] == survey_id and first["language"] == "en" and first["score"] == 2
    assert set(first["themes"][0]) == {"code", "polarity", "source", "confidence"}
    assert "email" not in str(body) and "c0@example.com" not in str(body)
    only = client.get("/api/v1/comments?theme=packaging", headers=headers).get_json()
    assert [c["text"] for c in only["comments"]] == ["the box was crushed"]
    paged = client.get("/api/v1/comments?limit=2", headers=headers).get_json()
    rest = client.get(paged["next"], headers=headers).get_json()
    assert len(paged["comments"]) == 2 and len(rest["comments"]) == 1
    found = client.get("/api/v1/comments?q=courier", headers=headers).get_json()
    assert found["total"] == 1


def test_a_correction_is_kept_as_labelled_data(app, client, headers):
    seed(app, SAID)
    body = client.get("/api/v1/comments?q=crushed", headers=headers).get_json()
    comment_id = body["comments"][0]["id"]
    reply = client.patch(
        f"/api/v1/comments/{comment_id}", json={"themes": ["packaging", "product_defect"]}, headers=headers
    )
    assert reply.status_code == 200, reply.get_json()
    assert [t["code"] for t in reply.get_json()["themes"]] == ["packaging", "product_defect"]
    assert {t["source"] for t in reply.get_json()["themes"]} >= {"staff"}
    with app.app_context():
        from feedback.services.insights import corrections

        assert (
            "the box was crushed",
            "en",
            {"packaging", "product_defect"},
        ) in corrections.labelled_examples()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"themes": ["no_such_theme"]}, "themes"),
        ({"themes": "packaging"}, "themes"),
        ({"themes": ["Packaging!"]}, "themes[0]"),
        ({"themes": ["x"] * 51}, "themes"),
        ({}, "themes"),
    ],
)
def test_bad_corrections_are_refused_with_the_field(app, client, headers, body, field):
    seed(app, SAID[:1])
    comment_id = client.get("/api/v1/comments", headers=headers).get_json()["comments"][0]["id"]
    reply = client.patch(f"/api/v1/comments/{comment_id}", json=body, headers=headers)
    assert reply.status_code == 422
    assert reply.get_json()["errors"][0]["field"] == field


def test_unknown_and_hostile_ids(app, client, headers):
    assert client.patch("/api/v1/comments/999", json={"themes": []}, headers=headers).status_code == 404
    assert client.get("/api/v1/comments/99999999999999999999", headers=headers).status_code == 404
    assert client.get("/api/v1/comments?cursor=%%%", headers=headers).status_code == 422
    assert client.get("/api/v1/comments?group=nobody", headers=headers).status_code == 404
    assert client.get("/api/v1/comments?q=%00", headers=headers).status_code == 422
    assert client.get("/api/v1/comments").status_code == 401
