"""A group dashboard's trend week by week: whole Monday-to-Monday weeks in UTC, each NPS from
its own answers, thin weeks not reported, and the latest change tested."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.insights.helpers import Said, seed

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # a Wednesday: the week of the 23rd is not over
SUNDAY_NIGHT = datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC)
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def _said() -> list[Said]:
    out = [
        Said(10, "great", at=datetime(2026, 11, 17, 10, tzinfo=UTC) + timedelta(minutes=i)) for i in range(30)
    ]
    out += [
        Said(0, "awful", at=datetime(2026, 11, 10, 10, tzinfo=UTC) + timedelta(minutes=i)) for i in range(30)
    ]
    out += [
        Said(9, "fine", at=datetime(2026, 11, 3, 10, tzinfo=UTC) + timedelta(minutes=i)) for i in range(5)
    ]
    out += [Said(10, "late night", at=SUNDAY_NIGHT), Said(0, "this week", at=MONDAY)]
    return out


def test_weeks_are_whole_and_each_nps_is_its_own_answers(app):
    from feedback.services.reports import weekly

    survey_id = seed(app, _said())
    with app.app_context():
        found = weekly.nps_weeks(survey_id, min_n=30, now=NOW)
    weeks = {w.start.isoformat(): w for w in found.weeks}
    assert len(found.weeks) == weekly.WEEKS and found.weeks[-1].start.isoformat() == "2026-11-16"
    assert all(w.start.weekday() == 0 for w in found.weeks)
    # Sunday 23:59:59 counts in its own week; Monday 00:00 of the unfinished week is left out.
    assert weeks["2026-11-16"].n == 31 and weeks["2026-11-16"].estimate.value == 100
    assert weeks["2026-11-09"].n == 30 and weeks["2026-11-09"].estimate.value == -100
    assert weeks["2026-11-02"].n == 5 and weeks["2026-11-02"].estimate is None  # below min_n
    assert sum(w.n for w in found.weeks) == 66
    assert [d.isoformat() for d in found.compared] == ["2026-11-09", "2026-11-16"]
    assert found.change.difference == 200 and found.change.significant
    assert 0 < found.change.low <= found.change.high  # the interval agrees with the test


def test_filters_and_window_narrow_the_weeks(app):
    from feedback.services.reports import weekly

    said = _said()
    said[0:30] = [Said(10, "great", tier="top", at=s.at) for s in said[0:30]]
    survey_id = seed(app, said)
    with app.app_context():
        top = weekly.nps_weeks(survey_id, min_n=1, now=NOW, where={"tier": "top"})
        late = weekly.nps_weeks(survey_id, min_n=1, now=NOW, start=datetime(2026, 11, 16, tzinfo=UTC))
        early = weekly.nps_weeks(survey_id, min_n=1, end=datetime(2026, 11, 16, 12, tzinfo=UTC), now=NOW)
    assert sum(w.n for w in top.weeks) == 30 and top.change is None  # one week of top-tier answers
    assert [w.start.isoformat() for w in late.weeks] == ["2026-11-16"]
    assert early.weeks[-1].start.isoformat() == "2026-11-09"  # the week the end falls in is not whole


def test_the_dashboard_shows_the_weekly_trend_when_asked(app, client, auth):
    now = datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    said = [Said(10 if i % 2 else 3, "ok", at=monday - timedelta(days=3, minutes=i)) for i in range(40)]
    survey_id = seed(app, said)
    auth.as_role("analyst")
    page = client.get(f"/staff/groups/quality?survey={survey_id}&every=week")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "NPS week by week" in html
    assert '<option value="week" selected>' in html and html.count('<th scope="row">') >= 13
    monthly = client.get(f"/staff/groups/quality?survey={survey_id}&every=fortnight").get_data(as_text=True)
    assert "NPS month by month" in monthly and "NPS week by week" not in monthly
    persian = client.get(
        f"/staff/groups/quality?survey={survey_id}&every=week", headers={"Accept-Language": "fa"}
    ).get_data(as_text=True)
    assert "NPS هفته به هفته" in persian and 'dir="rtl"' in persian
    assert "۱۴۰۵/" in persian  # the weeks' Mondays as Jalali dates
