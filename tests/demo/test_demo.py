"""The demo data must look like real data: skewed, different by segment, with planted effects."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

from scipy import stats
from sqlalchemy import select


def _answers():
    from feedback.extensions import db
    from feedback.models import Answer, Question, Response

    rows = db.session.execute(
        select(Answer.number, Response.sales_channel, Response.submitted_at)
        .join(Question)
        .join(Response, Answer.response_id == Response.id)
        .where(Question.role == "nps")
    ).all()
    return [(score, {"channel": channel}, at) for score, channel, at in rows]


def _nps(scores):
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def test_demo_data_looks_real(ctx):
    from feedback.extensions import db
    from feedback.models import Invitation
    from feedback.services import demo

    summary = demo.load(1000, seed=11)
    assert summary.responses == 1000
    assert summary.customers >= 300
    assert summary.invitations == summary.purchases
    rows = _answers()

    # Skewed towards the top, like real NPS data, and nowhere near uniform.
    counts = Counter(int(n) for n, _, _ in rows)
    assert stats.chisquare([counts.get(s, 0) for s in range(11)]).pvalue < 1e-10
    assert counts[10] > counts[5] > counts[1]

    # Segments differ: store buyers are happier than online buyers.
    by_channel = defaultdict(list)
    for score, segments, _ in rows:
        by_channel[segments["channel"]].append(score)
    assert _nps(by_channel["store"]) - _nps(by_channel["online"]) > 20

    # Planted Simpson reversal: the online share grows, so the overall score falls.
    ordered = sorted(rows, key=lambda r: r[2])
    early, late = ordered[: len(ordered) // 2], ordered[len(ordered) // 2 :]
    share = [sum(seg["channel"] == "online" for _, seg, _ in part) / len(part) for part in (early, late)]
    assert share[1] > share[0] + 0.2
    assert _nps([s for s, _, _ in late]) < _nps([s for s, _, _ in early])

    reasons = Counter(
        db.session.scalars(select(Invitation.suppression_reason).where(Invitation.status == "suppressed"))
    )
    assert reasons["fatigue"] > 0 and reasons["opted_out"] > 0


def test_same_seed_gives_the_same_data(tmp_path):
    from tests.conftest import make_app, migrate

    results = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path}/{name}.db"
        migrate(url)
        other = make_app(url)
        with other.app_context():
            from feedback.services import demo

            demo.load(200, seed=3)
            results.append(sorted(int(n) for n, _, _ in _answers()))
    assert results[0] == results[1]
    assert len(results[0]) == 200


def test_report_by_tier_on_the_demo_is_honest(app):
    """The acceptance report: intervals, a suppressed segment and warnings the demo was built to trigger."""
    import json

    with app.app_context():
        from feedback.services import demo

        demo.load()
    out = app.test_cli_runner().invoke(
        args=["report", "transactional-nps", "--by", "tier", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    nps = data["metrics"]["nps"]
    assert nps["low"] < nps["value"] < nps["high"] and nps["n"] == 3000
    segments = {s["key"]: s for s in data["segments"]}
    assert segments["inactive"]["suppressed"] and "value" not in segments["inactive"]["metrics"]["nps"]
    shown = [s for s in segments.values() if not s["suppressed"]]
    assert shown and all(s["metrics"]["nps"]["low"] < s["metrics"]["nps"]["high"] for s in shown)
    codes = {w["code"] for w in data["warnings"]}
    assert {"non_response_bias", "simpson_reversal", "not_significant_change"} <= codes


def test_demo_comments_speak_four_languages_and_show_the_delivery_spike(ctx):
    from feedback.extensions import db
    from feedback.models import Comment, CommentTheme, GroupMember, StakeholderGroup
    from feedback.services import demo
    from feedback.services.demo.company import incident_month
    from feedback.services.insights import dashboard

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a fixed instant: the same data on any day
    demo.load(3000, seed=7, now=now)
    comments = db.session.scalars(select(Comment)).all()
    languages = Counter(c.language for c in comments)
    assert set(languages) == {"en", "fa", "ar", "ru"}
    assert all(c.tagged_with for c in comments), "every comment went through the tagger"
    themes = Counter(db.session.scalars(select(CommentTheme.code)))
    # Every default theme is heard; delivery and product quality lead, as at a retailer.
    assert set(themes) >= {"product_defect", "price", "delivery", "staff", "packaging", "billing"}
    assert themes.most_common(2)[0][0] in {"delivery", "product_defect"}
    with_theme = set(db.session.scalars(select(CommentTheme.comment_id)))
    untagged = sum(c.id not in with_theme for c in comments)
    assert untagged == sum(not c.tagged for c in comments)
    assert 0.03 < untagged / len(comments) < 0.3, "some comments name no theme, as real ones do"

    # Five groups, a member each.
    members = db.session.execute(
        select(StakeholderGroup.slug).join(GroupMember, GroupMember.group_id == StakeholderGroup.id)
    ).scalars()
    assert sorted(members) == ["management", "product", "quality", "sales", "service"]

    # South's summer incident shows in its delivery complaints, above the p-chart's limit.
    start, _end = incident_month(now)
    month = start.strftime("%Y-%m")
    survey_id = comments[0].survey_id
    trend = dashboard.theme_trend(survey_id, ["delivery"], None, None, {"region": "South"})
    point = next(p for p in trend["series"]["delivery"] if p["period"] == month)
    assert point["signal"] == "above", point
    elsewhere = dashboard.theme_trend(survey_id, ["delivery"], None, None, {"region": "North"})
    north = next((p for p in elsewhere["series"]["delivery"] if p["period"] == month), None)
    assert north is None or north["signal"] != "above"
