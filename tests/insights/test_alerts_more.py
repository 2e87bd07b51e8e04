"""Alerts, continued: EWMA drift charts against Lucas & Saccucci, the drift and top-tier rules,
the driver line, and messages in the reader's language."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import stats
from sqlalchemy import select, update

from analysis import ewma

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday: the latest complete week began 11-23


def test_ewma_limits_are_lucas_and_saccucci_time_varying_limits_by_hand():
    lam, width, centre, sigma, n = 0.2, 2.86, 10.0, 30.0, 25
    values = [12.0, 9.0, 14.0, 11.0, 16.0, 13.0]
    chart = ewma.chart(values, [n] * 6, centre=centre, sigma=sigma, lam=lam, width=width)
    z = centre
    for t, (x, point) in enumerate(zip(values, chart.points, strict=True), start=1):
        z = lam * x + (1 - lam) * z
        half = width * sigma / math.sqrt(n) * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        assert point.ewma == pytest.approx(z)
        assert (point.lower, point.upper) == pytest.approx((centre - half, centre + half))
        assert point.shewhart_upper == pytest.approx(centre + 3 * sigma / math.sqrt(n))
    # Unequal n: the exact variance is the sum of the squared weights times each period's variance.
    ns = [10, 40, 25, 5, 60]
    _, sd = ewma.statistic(np.ones(5), np.array(ns), centre=0.0, sigma=2.0, lam=lam)
    t = len(ns)
    weights = [lam * (1 - lam) ** (t - 1 - i) for i in range(t)]
    assert sd[-1] == pytest.approx(math.sqrt(sum(w**2 * 4.0 / k for w, k in zip(weights, ns, strict=True))))


def test_the_minimum_n_gate_leaves_small_weeks_out():
    chart = ewma.chart(
        [10.0, 90.0, 10.0], [50, 3, 50], centre=10.0, sigma=30.0, min_n=10, labels=["a", "b", "c"]
    )
    assert [p.used for p in chart.points] == [True, False, True]
    assert chart.points[2].ewma == pytest.approx(10.0) and chart.latest.label == "c"
    with pytest.raises(ValueError, match="lam"):
        ewma.chart([1.0], [5], centre=0.0, sigma=1.0, lam=1.5)


def _run_lengths(width, *, exact, runs=500, horizon=5000, seed=20260):
    x = np.random.default_rng(seed).standard_normal((runs, horizon))
    z, sd = ewma.statistic(x, np.ones(horizon), centre=0.0, sigma=1.0, lam=0.2)
    if not exact:
        sd = np.full_like(sd, float(ewma.limit_factor(10**9)))
    out = np.abs(z) > width * sd
    assert out.any(axis=1).all()  # every run signalled within the horizon
    return out.argmax(axis=1) + 1


def test_in_control_run_length_is_as_lucas_and_saccucci_tabulate():
    # Lucas & Saccucci (1990), Table 3 (asymptotic limits): lam 0.2, L 2.962 -> ARL 500;
    # L 2.86 -> about 370, the 3-sigma Shewhart chart's.
    assert _run_lengths(2.962, exact=False).mean() == pytest.approx(500, rel=0.15)
    assert _run_lengths(2.86, exact=False).mean() == pytest.approx(370, rel=0.15)
    # Exact limits are narrower at the start, so they signal a little sooner, never much.
    exact = _run_lengths(2.962, exact=True).mean()
    assert 0.85 * 500 < exact < _run_lengths(2.962, exact=False).mean() + 1


def test_the_drift_limit_widens_with_the_cells_tested_sidak():
    for cells in (1, 10, 40, 400):
        per_cell = 1 - 0.95 ** (1 / cells)
        assert ewma.width_for(cells) == pytest.approx(max(2.962, stats.norm.isf(per_cell)))
    for width in (2.962, 3.0, 3.474):  # the tail the drift rule reads, against scipy's
        assert ewma.per_cell_alpha(width) == pytest.approx(stats.norm.sf(width), rel=1e-9)


def _weekly_comments(app, shares: list[int], per_week: int = 10, region: str = "East") -> None:
    """``per_week`` comments a week ending last Monday, ``k`` of them on late delivery (one
    customer, written in one flush: the seeding helper's customer per answer is too slow here)."""
    from feedback.extensions import db
    from feedback.models import Answer, Customer, Question, Response, SurveyVersion
    from feedback.services.insights import collect
    from tests.respond.helpers import publish, two_page_survey

    survey_id = publish(app, two_page_survey("drift"))
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    version = db.session.scalar(select(SurveyVersion).where(SurveyVersion.survey_id == survey_id))
    questions = {
        q.key: q.id for q in db.session.scalars(select(Question).where(Question.version_id == version.id))
    }
    customer = Customer(external_id="drift", email="drift@example.com")
    db.session.add(customer)
    db.session.flush()
    for week, k in enumerate(shares):
        start = monday - timedelta(weeks=len(shares) - week)
        for i in range(per_week):
            at = start + timedelta(hours=3 + 15 * i)
            response = Response(
                survey_id=survey_id,
                version_id=version.id,
                customer_id=customer.id,
                status="complete",
                submitted_at=at,
                period=at.strftime("%Y-%m"),
                tier="regular",
                region=region,
                sales_channel="web",
            )
            response.answers = [
                Answer(question_id=questions["nps"], number=9.0),
                Answer(
                    question_id=questions["reason"], text="The delivery was late" if i < k else "Fine, thanks"
                ),
            ]
            db.session.add(response)
    db.session.commit()
    collect.collect()


def test_a_slow_drift_the_three_sigma_rule_misses_opens_a_drift_alert(app, ctx):
    from feedback.extensions import db
    from feedback.models import Alert
    from feedback.services.insights import alerts

    # 26 baseline weeks at 10%, then 13 weeks creeping to 30%: no week reaches the weekly
    # 3-sigma limit (10% + 3 x 9.5 = 38%), and no month moves 10 points above the usual share.
    creep = [1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
    _weekly_comments(app, [1] * 26 + creep)
    assert alerts.evaluate(NOW).cells == 1  # one chart read, so L stays 2.962
    found = {a.kind: a for a in db.session.scalars(select(Alert))}
    assert "theme_share" not in found
    drift = found["drift"]
    assert drift.key == "drift:service:region=East:delivery" and drift.direction == "above"
    assert drift.period == "2026-11-23" and drift.baseline == pytest.approx(10.0)
    assert drift.value > drift.threshold > drift.baseline
    assert "Delivery complaints in East have crept up" in drift.message
    assert f"limit of {drift.threshold:.0f}%" in drift.message and "n = 130 comments" in drift.message


def test_no_drift_while_the_share_holds():
    # The same cell in control: 39 seeded weeks of 10 comments at 10%, charted as the rule does.
    ks = np.random.default_rng(11).binomial(10, 0.1, size=39)
    base = ks[:26].sum() / 260
    chart = ewma.chart(
        (10 * ks[26:]).tolist(),
        [10] * 13,
        centre=100 * base,
        sigma=100 * math.sqrt(base * (1 - base)),
        min_n=10,
    )
    assert not chart.drift("above") and not any(p.signal == "above" for p in chart.points)


def test_a_severe_complaint_from_a_top_tier_customer_opens_one_alert(app, ctx):
    from feedback.extensions import db
    from feedback.models import Alert
    from feedback.services.insights import alerts
    from tests.insights.helpers import Said, seed

    recent = NOW - timedelta(days=2)
    seed(
        app,
        [
            Said(3, "I was billed twice for the same order", tier="top", at=recent, region="West"),
            Said(3, "I was billed twice for the same order", tier="regular", at=recent),
            Said(4, "The delivery was late", tier="top", at=recent),  # not a severe theme
            Said(2, "I was billed twice for the same order", tier="top", at=NOW - timedelta(days=40)),
        ],
    )
    alerts.evaluate(NOW)
    alerts.evaluate(NOW)  # seen again: still one
    [alert] = [a for a in db.session.scalars(select(Alert)) if a.kind == "top_tier_severe"]
    assert alert.key.startswith("top_tier_severe:service:response=") and alert.metric == "billing"
    assert alert.count == 1 and alert.segment == "tier=top"
    assert alert.message == (
        "A top-tier customer in West made a severe billing complaint on 2026-11-30 (score 3); "
        "their case needs attention today."
    )


def test_the_driver_line_names_a_store_only_when_answers_crowd_into_it(app, ctx):
    from feedback.extensions import db
    from feedback.models import Response
    from feedback.services.insights.alerts import drivers, messages
    from tests.insights.helpers import Said, seed

    # north: 14 of 20 complaints at S1, a store with 35% of the region's answers; south: spread.
    north = (
        ["S1"] * 14 + ["S2", "S3", "S4", "S5", "S6", "S7"],
        ["S2", "S3", "S4", "S5", "S6", "S7"] * 3 + ["S2", "S3"],
    )
    south = ["S1", "S2", "S3", "S4", "S5"] * 4, ["S1", "S2", "S3", "S4", "S5"] * 4
    said, stores = [], []
    for region, (behind, rest) in (("north", north), ("south", south)):
        said += [Said(3, "The delivery was late", region=region) for _ in behind]
        said += [Said(9, "Fine", region=region) for _ in rest]
        stores += behind + rest
    seed(app, said, key="stores")
    ids = list(db.session.scalars(select(Response.id).order_by(Response.id)))
    for response_id, store in zip(ids, stores, strict=True):
        db.session.execute(update(Response).where(Response.id == response_id).values(store=store))
    db.session.commit()
    lines = {}
    for region, first in (("north", ids[0]), ("south", ids[40])):
        behind = select(Response.id).where(Response.id.between(first, first + 19))
        lines[region] = drivers.line(behind, [Response.region == region], region)
    assert lines["south"] is None
    text = messages.english(lines["north"]["msgid"], lines["north"]["params"])
    assert text == "70% of these 20 answers share one store, S1 (against 35% of all answers in north)."


def _ru_alert(app):
    from feedback.extensions import db
    from feedback.services.insights import alerts, groups
    from feedback.services.insights.alerts import rules_results

    with app.app_context():
        groups.ensure_defaults()
        service = groups.by_slug("service")
        finding = alerts.Finding(
            key="score:service:region=South:nps",
            kind="score",
            group_id=service.id,
            survey_id=None,
            segment="region=South",
            metric="nps",
            period="2026-08",
            direction="below",
            value=-42.0,
            baseline=24.0,
            threshold=-34.0,
            n=40,
            template=rules_results.SCORE,
            params={
                "metric": "NPS",
                "segment": "<b>South</b>",
                "value": "-42",
                "period": "2026-08",
                "n": 40,
                "side": {"msgid": "below"},
                "limit": "-34",
                "centre": "+24",
            },
        )
        alerts.record(finding, NOW, alerts.Evaluated())
        db.session.commit()


ENGLISH = (
    "NPS in <b>South</b> was -42 in 2026-08 (n = 40), below its control limit of -34; the usual level is +24."
)


def test_messages_show_in_the_readers_language_and_stay_english_in_the_api_and_mail(app, client, auth):
    from feedback.extensions import db
    from feedback.models import StaffUser
    from feedback.services import accounts
    from feedback.services.insights import alerts
    from tests.insights.helpers import Said, seed

    seed(app, [Said(9, "Fine")])  # the group page shows its alerts beside a survey's figures
    _ru_alert(app)
    email = auth.create("analyst")
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        user.locale = "ru"
        db.session.commit()
        headers = {"Authorization": f"Bearer {accounts.create_api_key('ru')[1]}"}
    auth.login(email)
    for path in ("/staff/alerts", "/staff/groups/service"):
        page = client.get(path).get_data(as_text=True)
        assert "ниже контрольной границы -34" in page, path
        assert "&lt;b&gt;South&lt;/b&gt;" in page and "<b>South</b>" not in page  # escaped
    [item] = client.get("/api/v1/alerts", headers=headers).get_json()["alerts"]
    assert item["message"] == ENGLISH
    with app.app_context():
        assert alerts.listing(None, None)["items"][0]["message"] == ENGLISH
        _mail_in_each_members_language(alerts)


def _mail_in_each_members_language(alerts):
    from feedback.extensions import db
    from feedback.models import GroupMember, StaffUser
    from feedback.services import accounts
    from feedback.services.insights import groups

    sent = []

    class Sender:
        def send(self, message):
            sent.append((message["To"], message["Subject"], message.get_content()))

    for email, locale in (("ru@example.com", "ru"), ("en@example.com", "en")):
        accounts.create_user(email, "analyst", "correct horse battery")
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        user.locale = locale
        db.session.add(GroupMember(group_id=groups.by_slug("service").id, user_id=user.id))
    db.session.commit()
    assert alerts.notify_open(NOW, sender=Sender()) >= 2
    mail = {to: (subject, body) for to, subject, body in sent}
    assert mail["ru@example.com"][0].startswith("Оповещение для группы")
    assert "ниже контрольной границы" in mail["ru@example.com"][1]
    assert mail["en@example.com"][1].startswith(ENGLISH)


def _point(period: str, k: int, n: int, centre: float) -> dict:
    sigma = math.sqrt(centre * (100 - centre) / n)
    value = 100 * k / n
    return {
        "period": period,
        "k": k,
        "n": n,
        "value": value,
        "centre": centre,
        "upper": centre + 3 * sigma,
        "lower": max(0.0, centre - 3 * sigma),
        "signal": "above" if value > centre + 3 * sigma else None,
    }


def test_a_lone_three_sigma_crossing_among_a_months_cells_is_screened_out(app, ctx, monkeypatch):
    """Benjamini-Hochberg at 5% among a month's 40 cells, on the exact binomial tail: 10 of 40
    at a usual 10% is past 3 sigma (25% > 24.2%) but p = 0.005, what chance gives one cell in
    forty; 16 of 40 (p = 6e-7) is kept."""
    from types import SimpleNamespace

    from feedback.services.insights.alerts import rules_theme

    months = [f"2026-{m:02d}" for m in range(6, 12)]
    codes = [f"theme_{i}" for i in range(40)]

    def series(k: int):
        out = {c: [_point(m, 4, 40, 10.0) for m in months] for c in codes}
        out["theme_7"][-1] = _point(months[-1], k, 40, 10.0)
        return {"series": out}

    group = SimpleNamespace(id=1, slug="quality")
    survey = SimpleNamespace(id=1)
    monkeypatch.setattr(rules_theme, "regions", lambda _survey_id: ["South"])
    routes = {c: ["quality"] for c in codes}
    for k, opened in ((10, 0), (16, 1)):
        assert series(k)["series"]["theme_7"][-1]["signal"] == "above"
        monkeypatch.setattr(rules_theme.dashboard, "theme_trend", lambda *a, k=k, **kw: series(k))
        found, tested = rules_theme.findings(survey, routes, {"quality": group}, months[0])
        assert tested == 240 and len(found) == opened, k
    assert stats.binom.sf(9, 40, 0.1) > 0.05 / 40 > stats.binom.sf(15, 40, 0.1)  # the screen's arithmetic
