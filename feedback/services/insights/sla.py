"""Service-level deadlines counted in a group's working time.

Modelled on helpdesk software: each case has a first-contact deadline and a resolution
deadline, counted in the owning group's working hours (round the clock when it has none),
skipping its holidays, and stopped while the case waits on the customer.

A group's ``schedule`` is plain data::

    {"tz": "Asia/Tehran", "days": [5, 6, 0, 1, 2], "start": "08:00", "end": "16:00",
     "holidays": ["2027-03-21", "2027-03-22"]}

``days`` are ISO weekdays counted from Monday = 0; ``end`` may not be before ``start``.
A group's ``sla`` overrides hours per priority: ``{"high": {"first_contact": 8, "resolve": 48}}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from feedback.services.errors import ValidationFailed

# Hours from opening: first contact within a day for detractors, two days for the rest; a
# promoter's thank-you within a week.
DEFAULT_SLA: dict[str, dict[str, float]] = {
    "high": {"first_contact": 24, "resolve": 72},
    "normal": {"first_contact": 48, "resolve": 120},
    "low": {"first_contact": 168, "resolve": 336},
}
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")  # matched whole (fullmatch): no trailing newline
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_HOURS = 24 * 365
MAX_HOLIDAYS = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2100


def zone(name: Any) -> ZoneInfo | None:
    """The IANA zone named ``name``, or None. Only names tzdata lists as zones count: not a
    folder ("Europe"), not the host's own "localtime", not a path, not 300 characters."""
    if not isinstance(name, str) or name not in _zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones() - {"localtime", "posixrules", "Factory"})


@dataclass(frozen=True)
class Schedule:
    """Working time; an empty schedule is round the clock."""

    tz: ZoneInfo | None = None
    days: frozenset[int] = frozenset(range(7))
    start: time = time(0)
    end: time | None = None  # None: the whole day
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def always(self) -> bool:
        return self.tz is None and len(self.days) == 7 and self.end is None and not self.holidays

    def _windows(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local calendar day, in UTC, or None on a day off."""
        if day.weekday() not in self.days or day in self.holidays:
            return None
        tz = self.tz or UTC
        opens = datetime.combine(day, self.start, tz)
        closes = (
            datetime.combine(day, self.end, tz)
            if self.end
            else datetime.combine(day + timedelta(1), time(0), tz)
        )
        return opens.astimezone(UTC), closes.astimezone(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC when it has no zone (SQLite hands back naive datetimes); None stays None."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def schedule_of(raw: dict[str, Any] | None) -> Schedule:
    """The group's stored schedule; a bad one is refused when it is saved, so here it is trusted."""
    return parse_schedule(raw or {})


def parse_schedule(raw: dict[str, Any]) -> Schedule:
    """A schedule from plain data, with a clear error for each bad field."""
    if not isinstance(raw, dict):
        raise ValidationFailed([("schedule", "must be an object")])
    if not raw:
        return Schedule()
    errors = []
    tz = None
    tz = zone(raw.get("tz", "UTC"))
    if tz is None:
        errors.append(("tz", "not a known time zone, such as Europe/Berlin"))
    days = raw.get("days", list(range(7)))
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        errors.append(("days", "a list of weekdays from 0 (Monday) to 6 (Sunday)"))
        days = list(range(7))
    clocks = {}
    for key, fallback in (("start", "00:00"), ("end", "24:00")):
        value = str(raw.get(key, fallback))
        if key == "end" and value == "24:00":
            clocks[key] = None
            continue
        match = _CLOCK.fullmatch(value)
        if not match:
            errors.append((key, "a time of day as HH:MM"))
            clocks[key] = time(0) if key == "start" else None
        else:
            clocks[key] = time(int(match[1]), int(match[2]))
    if clocks["end"] is not None and clocks["end"] <= clocks["start"]:
        errors.append(("end", "must be after the start"))
    holidays, bad = _holidays(raw.get("holidays", []))
    errors += [("holidays", message) for message in bad]
    if errors:
        raise ValidationFailed(errors)
    return Schedule(tz, frozenset(days), clocks["start"], clocks["end"], frozenset(holidays))


def _holidays(raw: Any) -> tuple[set[date], list[str]]:
    """The holiday dates, and what is wrong with them (the first few bad lines, not thousands)."""
    if not isinstance(raw, list):
        return set(), ["a list of dates as YYYY-MM-DD"]
    if len(raw) > MAX_HOLIDAYS:
        return set(), [f"at most {MAX_HOLIDAYS:,} holidays, not {len(raw):,}"]
    found, bad = set(), []
    for value in raw:
        try:
            if not DAY.fullmatch(str(value)):  # fromisoformat also takes 20260501 and 2026-W01-1
                raise ValueError(value)
            day = date.fromisoformat(str(value))
        except ValueError:
            bad.append(f"{str(value)[:20]!r} is not a date as YYYY-MM-DD")
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            bad.append(f"{day.isoformat()} is not between {FIRST_YEAR} and {LAST_YEAR}")
            continue
        found.add(day)
    if len(bad) > 3:
        bad = [*bad[:3], f"and {len(bad) - 3:,} more"]
    return found, bad


def parse_sla(raw: Any) -> dict[str, dict[str, float]]:
    """SLA hours per priority from plain data, with a clear error for each bad value.

    >>> parse_sla({"high": {"first_contact": 8, "resolve": 48}})["high"]
    {'first_contact': 8.0, 'resolve': 48.0}
    """
    if not isinstance(raw, dict):
        raise ValidationFailed([("sla", "must be an object")])
    errors, out = [], {}
    for priority, hours in raw.items():
        if priority not in DEFAULT_SLA or not isinstance(hours, dict):
            errors.append(("sla", f"{str(priority)[:20]!r} is not a priority: high, normal or low"))
            continue
        own = {}
        for key in ("first_contact", "resolve"):
            value = hours.get(key, DEFAULT_SLA[priority][key])
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = float("nan")
            if not 0 < number <= MAX_HOURS:  # NaN fails too
                errors.append((f"{priority}.{key}", f"hours from more than 0 to {MAX_HOURS:,}"))
                continue
            own[key] = number
        if len(own) == 2 and own["resolve"] < own["first_contact"]:
            errors.append((f"{priority}.resolve", "may not be sooner than first contact"))
        out[priority] = own
    if errors:
        raise ValidationFailed(errors)
    return out


def hours_for(sla: dict[str, Any] | None, priority: str) -> tuple[float, float]:
    """(first contact, resolve) hours for a priority, the group's own or the defaults."""
    own = (sla or {}).get(priority) or {}
    base = DEFAULT_SLA.get(priority, DEFAULT_SLA["normal"])
    return (
        float(own.get("first_contact", base["first_contact"])),
        float(own.get("resolve", base["resolve"])),
    )


def add_working(start: datetime, hours: float, schedule: Schedule) -> datetime:
    """The instant ``hours`` of working time after ``start``.

    >>> s = parse_schedule({"tz": "UTC", "days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"})
    >>> add_working(datetime(2026, 12, 4, 16, 0, tzinfo=UTC), 3, s).isoformat()  # Friday 16:00
    '2026-12-07T11:00:00+00:00'
    """
    if not 0 <= hours <= MAX_HOURS:
        raise ValueError(f"hours must be from 0 to {MAX_HOURS}")
    start = start.astimezone(UTC)
    if schedule.always:
        return start + timedelta(hours=hours)
    left = timedelta(hours=hours)
    tz = schedule.tz or UTC
    day = start.astimezone(tz).date() - timedelta(days=1)
    for _ in range(366 * 3):
        window = schedule._windows(day)
        day += timedelta(days=1)
        if window is None:
            continue
        opens, closes = window
        begin = max(opens, start)
        if begin >= closes:
            continue
        if begin + left <= closes:
            return begin + left
        left -= closes - begin
    raise ValueError("the schedule has no working time in the next three years")


def working_between(a: datetime, b: datetime, schedule: Schedule) -> timedelta:
    """Working time from ``a`` to ``b`` (zero when b is not after a)."""
    a, b = a.astimezone(UTC), b.astimezone(UTC)
    if b <= a:
        return timedelta(0)
    if schedule.always:
        return b - a
    total = timedelta(0)
    tz = schedule.tz or UTC
    day = a.astimezone(tz).date() - timedelta(days=1)
    last = b.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        window = schedule._windows(day)
        day += timedelta(days=1)
        if window is None:
            continue
        lo, hi = max(window[0], a), min(window[1], b)
        if hi > lo:
            total += hi - lo
    return total
