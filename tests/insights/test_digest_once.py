"""A send run works out each group's digest once per period, whatever its number of members,
and a group may skip the digest of a period with nothing to report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Outbox:
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


def _members(app, slug: str, count: int, *, prefix: str) -> None:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import StaffUser
        from feedback.services.insights import groups

        groups.ensure_defaults()
        group = groups.by_slug(slug)
        for i in range(count):
            # Nobody signs in here, so no password is hashed (that would be most of the test's time).
            user = StaffUser(email=f"{prefix}{i}@example.com", role="analyst", password_hash="!")
            db.session.add(user)
            db.session.flush()
            groups.add_member(group, user)


@pytest.fixture(autouse=True)
def _no_drawing(monkeypatch):
    """The charts are drawn per reader (in their language; tested in test_digests.py) and are
    not what these tests are about: drawing them would be most of their time."""
    from feedback.services.insights import digest_charts

    monkeypatch.setattr(digest_charts, "themes_png", lambda facts: b"\x89PNG themes")
    monkeypatch.setattr(digest_charts, "metrics_png", lambda facts: b"\x89PNG metrics")


def test_content_is_computed_once_per_group_and_period(app, monkeypatch):
    _members(app, "quality", 3, prefix="q")
    _members(app, "sales", 2, prefix="s")
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import GroupMember
        from feedback.services.insights import digests, groups

        # One sales member reads it daily: another period, so a second computation for sales.
        sales = groups.by_slug("sales")
        member = db.session.scalars(select(GroupMember).where(GroupMember.group_id == sales.id)).first()
        member.digest = "daily"
        db.session.commit()
        calls = []
        real = digests.content

        def counted(group, period):
            calls.append((group.slug, period.key))
            return real(group, period)

        monkeypatch.setattr(digests, "content", counted)
        outbox = Outbox()
        assert digests.send_due(MONDAY, sender=outbox) == 5
        assert sorted(calls) == [("quality", "2026-W48"), ("sales", "2026-11-29"), ("sales", "2026-W48")]
        text = outbox.messages[0].get_body(preferencelist=("plain",)).get_content()
        assert "Nothing to report in this period" in text  # the default says so


def test_a_group_may_skip_an_empty_digest(app):
    _members(app, "quality", 2, prefix="q")
    _members(app, "sales", 1, prefix="s")
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import DigestSent
        from feedback.services.insights import digests, groups

        groups.by_slug("quality").digest_when_empty = "skip"
        db.session.commit()
        outbox = Outbox()
        assert digests.send_due(MONDAY, sender=outbox) == 1
        assert [str(m["To"]) for m in outbox.messages] == ["s0@example.com"]
        rows = db.session.scalars(select(DigestSent).order_by(DigestSent.user_id)).all()
        assert [r.skipped for r in rows] == [True, True, False]
        assert digests.send_due(MONDAY, sender=outbox) == 0 and len(outbox.messages) == 1
