"""The demo plants the same findings whatever day it is built: month ends, leap days, year ends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import make_app

AWKWARD = (
    "2026-12-01T00:05:00+00:00",  # the first minutes of a month
    "2026-11-30T23:55:00+00:00",  # the last minutes of a month
    "2028-02-29T12:00:00+00:00",  # a leap day
    "2026-12-31T23:30:00+00:00",  # a year's last half hour
    "2027-01-01T00:30:00+00:00",  # a year's first half hour
    "2027-03-31T22:00:00-05:00",  # an offset that makes it April in UTC
)


def _report(app, by: str) -> dict:
    from feedback.services.design import catalog
    from feedback.services.reports import results

    with app.app_context():
        return results.build(catalog.find_survey("transactional-nps"), by=by)


def assert_planted_findings(app, now: datetime) -> None:
    """Every finding the demo's docstring promises, checked on the report an analyst would run."""
    from feedback.services.demo.company import GAMED_STORE, INCIDENT_REGION, incident_month

    by_tier = _report(app, "tier")
    codes = {w["code"] for w in by_tier["warnings"]}
    assert {"non_response_bias", "simpson_reversal", "not_significant_change"} <= codes, codes
    tiers = {s["key"]: s for s in by_tier["segments"]}
    assert tiers["inactive"]["suppressed"] and "value" not in tiers["inactive"]["metrics"]["nps"]
    assert by_tier["metrics"]["nps"]["n"] == 3000
    assert "error" not in by_tier.get("weighting", {}), by_tier.get("weighting")

    by_store = _report(app, "store")
    gamed = [w for w in by_store["warnings"] if w["code"] == "gaming_suspected"]
    assert [w["segment"] for w in gamed] == [GAMED_STORE]

    by_region = _report(app, "region")
    month = incident_month(now)[0].strftime("%Y-%m")
    flagged = [
        (r["segment"], r["period"])
        for r in by_region["segment_periods"]
        if r["metric"] == "nps" and r.get("signal") == "below"
    ]
    assert (INCIDENT_REGION, month) in flagged, flagged
    alerts = [(a.get("by"), a.get("segment"), a["period"], a["signal"]) for a in by_region["alerts"]]
    assert ("region", INCIDENT_REGION, month, "below") in alerts, alerts


@pytest.mark.slow
@pytest.mark.parametrize("when", AWKWARD)
def test_the_demo_plants_its_findings_on_any_date(tmp_path, sqlite_template, when):
    import shutil

    now = datetime.fromisoformat(when)
    shutil.copyfile(sqlite_template, tmp_path / "demo.db")
    app = make_app(f"sqlite:///{tmp_path}/demo.db")
    result = app.test_cli_runner().invoke(args=["demo", "--now", when])
    assert result.exit_code == 0, result.output
    assert_planted_findings(app, now)
    with app.app_context():
        from feedback.extensions import db

        db.engine.dispose()


def test_demo_now_must_be_an_instant(runner):
    result = runner.invoke(args=["demo", "--now", "next tuesday"])
    assert result.exit_code == 2 and "ISO 8601" in result.output
    result = runner.invoke(args=["demo", "--now", "0001-01-01T00:00:00+14:00"])
    assert result.exit_code == 2 and "ISO 8601" in result.output


def test_the_incident_month_is_four_calendar_months_back():
    from feedback.services.demo.company import incident_month

    assert incident_month(datetime(2026, 12, 1, tzinfo=UTC)) == (
        datetime(2026, 8, 1, tzinfo=UTC),
        datetime(2026, 9, 1, tzinfo=UTC),
    )
    assert incident_month(datetime(2027, 3, 31, 23, tzinfo=UTC))[0] == datetime(2026, 11, 1, tzinfo=UTC)
    assert incident_month(datetime(2026, 5, 15, tzinfo=UTC))[1] == datetime(2026, 2, 1, tzinfo=UTC)
