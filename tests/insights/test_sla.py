"""Deadlines in working time: weekends, holidays, time zones and a clock that stops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.services.errors import ValidationFailed
from feedback.services.insights import sla

WEEKDAYS = {"tz": "UTC", "days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_round_the_clock_by_default():
    s = sla.schedule_of({})
    assert s.always
    assert sla.add_working(at(2026, 12, 5, 22), 24, s) == at(2026, 12, 6, 22)
    assert sla.working_between(at(2026, 12, 5), at(2026, 12, 6), s) == timedelta(days=1)


def test_working_hours_skip_the_night_and_the_weekend():
    s = sla.parse_schedule(WEEKDAYS)
    # Friday 16:00 + 3 working hours: one hour on Friday, two on Monday.
    assert sla.add_working(at(2026, 12, 4, 16), 3, s) == at(2026, 12, 7, 11)
    # Opened on Saturday: the clock starts on Monday at 09:00.
    assert sla.add_working(at(2026, 12, 5, 10), 24, s) == at(2026, 12, 9, 17)
    assert sla.working_between(at(2026, 12, 4, 16), at(2026, 12, 7, 11), s) == timedelta(hours=3)
    # Before opening time counts from the opening.
    assert sla.add_working(at(2026, 12, 7, 6), 1, s) == at(2026, 12, 7, 10)


def test_holidays_and_time_zones():
    tehran = sla.parse_schedule(
        {
            "tz": "Asia/Tehran",
            "days": [5, 6, 0, 1, 2],
            "start": "08:00",
            "end": "16:00",
            "holidays": ["2027-03-21"],
        }
    )
    # Saturday 2027-03-20 15:00 Tehran (11:30 UTC) + 2 h: one hour that day, Sunday the 21st is
    # a holiday, so the second hour is on Monday 08:00-09:00 Tehran (04:30-05:30 UTC).
    start = datetime(2027, 3, 20, 11, 30, tzinfo=UTC)
    assert sla.add_working(start, 2, tehran) == datetime(2027, 3, 22, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"days": [7]}, "days"),
        ({"days": "weekdays"}, "days"),
        ({"start": "9am"}, "start"),
        ({"start": "17:00", "end": "09:00"}, "end"),
        ({"holidays": ["next friday"]}, "holidays"),
    ],
)
def test_bad_schedules_are_refused_with_the_field(raw, field):
    with pytest.raises(ValidationFailed) as caught:
        sla.parse_schedule(raw)
    assert field in dict(caught.value.errors)


def test_hours_per_priority_default_and_override():
    assert sla.hours_for(None, "high") == (24, 72)
    assert sla.hours_for(None, "normal") == (48, 120)
    assert sla.hours_for({"high": {"first_contact": 8}}, "high") == (8, 72)
    with pytest.raises(ValueError, match="hours must be"):
        sla.add_working(at(2026, 1, 1), -1, sla.schedule_of({}))
