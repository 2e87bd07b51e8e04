"""Theme quality on staff's corrections, the rule editor with its preview, new themes, the
model learned from corrections, retagging and evaluation from the CLI."""

from __future__ import annotations

import json
import re

from tests.conftest import csrf_from
from tests.insights.helpers import Said, seed

SAID = [
    Said(2, "The courier was rude and the parcel came a week late"),
    Said(3, "the box was crushed"),
    Said(4, "the lamp is blorky"),
    Said(5, "my lamp is so blorky"),
    Said(9, "fast delivery, thanks"),
]


def _comment_id(client, q: str) -> str:
    html = client.get("/staff/comments", query_string={"q": q}).get_data(as_text=True)
    return re.search(r'href="/staff/comments/(\d+)"', html).group(1)


def test_a_designer_corrects_a_tag_and_theme_quality_counts_it(app, client, auth):
    seed(app, SAID)
    auth.as_role("designer")
    assert "No corrections yet" in client.get("/staff/themes").get_data(as_text=True)
    crushed = _comment_id(client, "crushed")
    page = client.get(f"/staff/comments/{crushed}").get_data(as_text=True)
    assert "Correct the themes" in page
    reply = client.post(
        f"/staff/comments/{crushed}/themes",
        data={"csrf_token": csrf_from(page), "theme": ["packaging", "product_defect"]},
    )
    assert reply.status_code == 303
    html = client.get("/staff/themes").get_data(as_text=True)
    assert "Measured on 1 comment that staff corrected." in html
    table = re.search(r'data-testid="theme-quality">(.*?)</table>', html, re.S).group(1)
    rows = {
        m.group(1): m.group(2, 3)
        for m in re.finditer(r'<th scope="row">([a-z ]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>', table)
    }
    assert rows["packaging"] == ("100%", "100%")
    assert rows["product defect"] == ("—", "0%")  # staff added it; the tagger had missed it
    with app.app_context():
        from feedback.services.insights import corrections

        quality, labelled = corrections.quality()
        assert labelled == 1 and {q.code for q in quality} == {"packaging", "product_defect"}


def test_an_agent_may_read_theme_quality_but_not_correct(app, client, auth):
    seed(app, SAID[:2])
    auth.as_role("agent")
    crushed = _comment_id(client, "crushed")
    page = client.get(f"/staff/comments/{crushed}").get_data(as_text=True)
    assert "Correct the themes" not in page
    reply = client.post(
        f"/staff/comments/{crushed}/themes", data={"csrf_token": csrf_from(page), "theme": "price"}
    )
    assert reply.status_code == 403
    assert client.get("/staff/themes").status_code == 200
    reply = client.post("/staff/themes/rules", data={"csrf_token": csrf_from(page), "entries": "x"})
    assert reply.status_code == 403


def test_the_rule_editor_previews_before_it_saves(app, client, auth):
    seed(app, SAID)
    auth.as_role("designer")
    page = client.get("/staff/themes").get_data(as_text=True)
    token = csrf_from(page)
    form = {
        "csrf_token": token,
        "language": "en",
        "theme": "product_defect",
        "kind": "complaint",
        "entries": "blorky",
        "action": "preview",
    }
    html = client.post("/staff/themes/rules", data=form).get_data(as_text=True)
    preview = re.search(r'data-testid="rule-preview">(.*?)</div>', html, re.S).group(1)
    assert "2 would change: 2 newly tagged" in preview and "the lamp is blorky" in preview
    with app.app_context():
        from feedback.services.insights import training

        assert training.staff_rules() == {}  # a preview saves nothing
    client.post("/staff/themes/rules", data={**form, "action": "save"})
    with app.app_context():
        from feedback.services.insights import training

        assert training.staff_rules()["en"]["themes"]["product_defect"]["complaint"] == ["blorky"]
        tags = training.current_tagger().tags("blorky lamp", "en")
        assert [t.code for t in tags] == ["product_defect"]
    for bad in (
        {"theme": "nope"},
        {"kind": "anything"},
        {"entries": ""},
        {"entries": "a\x01b"},
        {"entries": "x" * 100},
    ):
        reply = client.post("/staff/themes/rules", data={**form, **bad}, follow_redirects=True)
        assert reply.status_code == 200 and 'class="flash error"' in reply.get_data(as_text=True), bad


def test_new_theme_codes_are_checked(app, client, auth):
    auth.as_role("designer")
    token = csrf_from(client.get("/staff/themes").get_data(as_text=True))
    ok = client.post(
        "/staff/themes/new",
        data={"csrf_token": token, "code": "parking", "label": "Parking", "department": "store operations"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Theme parking added." in ok and "<code>parking</code>" in ok
    for code in ("parking", "Parking!", "x", "", "a" * 40, "drop table"):
        html = client.post(
            "/staff/themes/new", data={"csrf_token": token, "code": code, "label": "L"}, follow_redirects=True
        ).get_data(as_text=True)
        assert 'class="flash error"' in html, code


def test_retag_keeps_corrections_and_evaluate_reports(app, runner, tmp_path):
    seed(app, SAID)
    with app.app_context():
        from sqlalchemy import select

        from feedback.extensions import db
        from feedback.models import Comment
        from feedback.services.insights import corrections

        crushed = db.session.scalar(select(Comment.id).where(Comment.text == "the box was crushed"))
        corrections.correct(crushed, ["product_defect"], None)
    result = runner.invoke(args=["themes", "retag"])
    assert result.exit_code == 0, result.output
    assert "Tagged 4 comments" in result.output  # the corrected one is kept as staff said
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import CommentTheme

        codes = db.session.scalars(select(CommentTheme.code).where(CommentTheme.comment_id == crushed)).all()
        assert codes == ["product_defect"]
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(
        "\n".join(
            json.dumps(row, ensure_ascii=False)
            for row in (
                {
                    "lang": "en",
                    "text": "the courier was rude",
                    "themes": [{"code": "staff", "polarity": "complaint"}],
                },
                {"lang": "en", "text": "all good", "themes": []},
                {
                    "lang": "fa",
                    "text": "بسته‌بندی خیلی بد بود",
                    "themes": [{"code": "packaging", "polarity": "complaint"}],
                },
            )
        ),
        "utf-8",
    )
    result = runner.invoke(args=["themes", "evaluate", str(labelled), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["languages"]) == {"en", "fa"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json", "utf-8")
    assert runner.invoke(args=["themes", "evaluate", str(bad)]).exit_code == 2
    assert runner.invoke(args=["themes", "retag", "--survey", "nope"]).exit_code == 2


def test_the_model_learns_from_corrections(app, ctx):
    from analysis.themes import ThemeModel

    seed(app, [Said(3, f"the gizmo fizzled out on day {i}") for i in range(6)] + SAID)
    from sqlalchemy import select

    from feedback.extensions import db
    from feedback.models import Comment
    from feedback.services.insights import corrections, training

    before = training.current_tagger()
    assert before.model is None  # no corrections: the rules alone
    for cid in db.session.scalars(select(Comment.id).where(Comment.text.like("the gizmo%"))):
        corrections.correct(cid, ["product_defect"], None)
    for text, codes in (("fast delivery, thanks", ["delivery"]), ("the box was crushed", ["packaging"])):
        corrections.correct(db.session.scalar(select(Comment.id).where(Comment.text == text)), codes, None)
    after = training.current_tagger()
    assert isinstance(after.model, ThemeModel) and after.version != before.version
    tags = after.tags("my gizmo fizzled out again", "en")
    assert any(t.code == "product_defect" and t.source == "model" for t in tags), tags
