"""Digests: each group member gets theirs on Monday morning, to a real SMTP server, with the
group's own themes, scores with intervals, inline PNG charts and a plain-text part, once."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.services.demo.staff import GROUP_USERS

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _digests(smtp):
    return [m for m in smtp.messages if "digest" in str(m["Subject"])]


def test_monday_digests_reach_each_member_once(app, runner, smtp):
    with app.app_context():
        from feedback.services import demo

        demo.load(1500, seed=7, now=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    early = runner.invoke(args=["worker", "--once", "--now", "2026-11-30T08:30:00Z"])
    assert early.exit_code == 0, early.output
    assert _digests(smtp) == []  # due from 09:00
    first = runner.invoke(args=["worker", "--once", "--now", MONDAY.isoformat()])
    assert first.exit_code == 0, first.output
    digests = {str(m["To"]): m for m in _digests(smtp)}
    assert set(digests) == {email for email, *_ in GROUP_USERS}
    quality = digests["quality@candor.example"]
    assert str(quality["Subject"]).startswith("Quality (production): your weekly digest")
    assert quality.get_content_type() == "multipart/alternative"
    text = quality.get_body(preferencelist=("plain",)).get_content()
    html_part = quality.get_body(preferencelist=("related",))
    assert html_part is not None and html_part.get_content_type() == "multipart/related"
    html = html_part.get_body(preferencelist=("html",)).get_content()
    images = [p for p in html_part.iter_parts() if p.get_content_type() == "image/png"]
    assert len(images) == 2 and all(p.get_content().startswith(b"\x89PNG") for p in images)
    for image in images:
        assert f"cid:{image['Content-ID'].strip('<>')}" in html
    assert "NPS" in text and "95% interval" in text and "n = " in text
    # Quality hears of its own themes, not of delivery; management of everything.
    assert "delivery" not in text.split("Complaints on your themes")[1].split("\n\n")[0]
    management = digests["management@candor.example"].get_body(preferencelist=("plain",)).get_content()
    assert "Complaints on your themes" in management
    assert "<style" not in html and 'style="' in html  # styles inlined for mail clients
    assert "/staff/digest/" in str(quality["List-Unsubscribe"])
    again = runner.invoke(args=["worker", "--once", "--now", MONDAY.isoformat()])
    assert again.exit_code == 0 and len(_digests(smtp)) == len(digests)


def test_one_click_changes_the_frequency_and_stops_the_digest(app, client, runner, smtp):
    with app.app_context():
        from feedback.services import demo

        demo.load(400, seed=7, now=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert runner.invoke(args=["worker", "--once", "--now", MONDAY.isoformat()]).exit_code == 0
    sales = next(m for m in _digests(smtp) if str(m["To"]) == "sales@candor.example")
    link = str(sales["List-Unsubscribe"]).strip("<>")
    path = link[link.index("/staff/digest/") :]
    assert str(sales["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    asked = client.get(path)  # a mail scanner opening the link changes nothing
    assert asked.status_code == 200 and "Stop receiving the digest of Sales?" in asked.get_data(as_text=True)
    page = client.post(path)  # the button, or a mail client's RFC 8058 one-click POST
    assert page.status_code == 200 and "no longer receive the digest of Sales" in page.get_data(as_text=True)
    assert client.get("/staff/digest/forged-token").status_code == 404
    assert client.post("/staff/digest/forged-token").status_code == 404
    before = len(_digests(smtp))
    assert runner.invoke(args=["worker", "--once", "--now", "2026-12-07T09:00:00Z"]).exit_code == 0
    after = [str(m["To"]) for m in _digests(smtp)[before:]]
    assert "sales@candor.example" not in after and "quality@candor.example" in after
