"""The form of a group's settings: working time, holidays, SLA hours, digest and lead."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from feedback.services.insights import group_settings, sla
from feedback.web.staff.builder_forms import MultiCheckboxField, choices
from feedback.web.staff.forms import NumberField

CLOCK = r"^([01]\d|2[0-3]):[0-5]\d\Z"  # \Z: "$" lets a trailing newline through
WEEKDAYS = (
    (0, _l("Monday")),
    (1, _l("Tuesday")),
    (2, _l("Wednesday")),
    (3, _l("Thursday")),
    (4, _l("Friday")),
    (5, _l("Saturday")),
    (6, _l("Sunday")),
)
PRIORITIES = (("high", _l("High priority")), ("normal", _l("Normal priority")), ("low", _l("Low priority")))


def _hours(label):
    return NumberField(
        label,
        places=None,
        validators=[
            InputRequired(_l("Give a number of hours.")),
            NumberRange(min=0.5, max=sla.MAX_HOURS, message=_l("Hours from 0.5 to 8,760 (a year).")),
        ],
    )


class GroupSettingsForm(FlaskForm):
    always = BooleanField(_l("Round the clock: every hour of every day counts"))
    tz = StringField(
        _l("Time zone"),
        validators=[Optional(), Length(max=64, message=_l("Not a known time zone, such as Europe/Berlin."))],
        description=_l("For example Europe/Berlin or Asia/Tehran."),
    )
    days = MultiCheckboxField(
        _l("Working days"), choices=choices(WEEKDAYS), coerce=int, default=[0, 1, 2, 3, 4]
    )
    start = StringField(
        _l("Work starts at"),
        default="09:00",
        validators=[Optional(), Regexp(CLOCK, message=_l("A time of day as HH:MM, from 00:00 to 23:59."))],
    )
    end = StringField(
        _l("Work ends at"),
        default="17:00",
        validators=[
            Optional(),
            Regexp(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)\Z", message=_l("A time of day as HH:MM, up to 24:00.")),
        ],
    )
    holidays = TextAreaField(
        _l("Holidays"),
        description=_l("One date per line, as YYYY-MM-DD. Deadlines skip these days."),
        validators=[Length(max=40_000, message=_l("This list is too long."))],
    )
    high_first = _hours(_l("High priority: first contact within (working hours)"))
    high_resolve = _hours(_l("High priority: resolved within (working hours)"))
    normal_first = _hours(_l("Normal priority: first contact within (working hours)"))
    normal_resolve = _hours(_l("Normal priority: resolved within (working hours)"))
    low_first = _hours(_l("Low priority: first contact within (working hours)"))
    low_resolve = _hours(_l("Low priority: resolved within (working hours)"))
    digest_frequency = SelectField(
        _l("Digest"),
        choices=choices((("daily", _l("daily")), ("weekly", _l("weekly")), ("monthly", _l("monthly")))),
    )
    digest_when_empty = RadioField(
        _l("When a period has nothing to report"),
        choices=choices(
            (("say_so", _l("send the digest, saying so")), ("skip", _l("send no digest for that period")))
        ),
        default="say_so",
    )
    lead = SelectField(_l("Lead (receives the escalations)"), choices=[])

    def validate_tz(self, field):
        if self.always.data or not field.data or field.errors:
            return
        if sla.zone(field.data.strip()) is None:
            raise ValidationError(gettext("Not a known time zone, such as Europe/Berlin."))

    def validate_days(self, field):
        if not self.always.data and not field.data:
            raise ValidationError(gettext("Choose at least one working day."))

    def validate_end(self, field):
        if self.always.data or self.start.errors or field.errors:
            return
        start, end = self.start.data or "00:00", field.data or "24:00"
        if re.match(CLOCK, start) and end != "24:00" and end <= start:
            raise ValidationError(gettext("Work must end after it starts."))

    def validate_holidays(self, field):
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > sla.MAX_HOLIDAYS:
            raise ValidationError(
                gettext(
                    "At most %(max)s holidays; this list has %(count)s.",
                    max=sla.MAX_HOLIDAYS,
                    count=len(lines),
                )
            )
        for number, line in enumerate(lines, 1):
            try:
                if not sla.DAY.fullmatch(line):
                    raise ValueError(line)
                day = date.fromisoformat(line)
            except ValueError:
                raise ValidationError(
                    gettext(
                        "Line %(line)s: %(value)s is not a date as YYYY-MM-DD.", line=number, value=line[:20]
                    )
                ) from None
            if not sla.FIRST_YEAR <= day.year <= sla.LAST_YEAR:
                raise ValidationError(
                    gettext(
                        "Line %(line)s: choose a date from %(first)s to %(last)s.",
                        line=number,
                        first=sla.FIRST_YEAR,
                        last=sla.LAST_YEAR,
                    )
                )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for priority, label in PRIORITIES:
            first, resolve = getattr(self, f"{priority}_first"), getattr(self, f"{priority}_resolve")
            if not first.errors and not resolve.errors and resolve.data < first.data:
                resolve.errors.append(
                    gettext("%(priority)s: resolution may not come before first contact.", priority=label)
                )
                ok = False
        return ok

    def fill(self, settings: group_settings.Settings) -> None:
        """Show the stored settings (on GET)."""
        schedule = settings.schedule
        self.always.data = not schedule or set(schedule) <= {"holidays"}
        self.tz.data = schedule.get("tz", "")
        self.days.data = schedule.get("days", [0, 1, 2, 3, 4])
        self.start.data = schedule.get("start", "09:00")
        self.end.data = schedule.get("end", "17:00")
        self.holidays.data = "\n".join(schedule.get("holidays", []))
        for priority, _label in PRIORITIES:
            getattr(self, f"{priority}_first").data = settings.sla[priority]["first_contact"]
            getattr(self, f"{priority}_resolve").data = settings.sla[priority]["resolve"]
        self.digest_frequency.data = settings.digest_frequency
        self.digest_when_empty.data = settings.digest_when_empty
        self.lead.data = str(settings.lead_id or "")

    def settings(self) -> group_settings.Settings:
        """The validated form as the service's plain data."""
        holidays = sorted({line.strip() for line in (self.holidays.data or "").splitlines() if line.strip()})
        if self.always.data:
            schedule = {"holidays": holidays} if holidays else {}
        else:
            schedule = {
                "tz": (self.tz.data or "UTC").strip(),
                "days": sorted(set(self.days.data)),
                "start": self.start.data or "00:00",
                "end": self.end.data or "24:00",
                "holidays": holidays,
            }
        hours = {
            p: {
                "first_contact": float(getattr(self, f"{p}_first").data),
                "resolve": float(getattr(self, f"{p}_resolve").data),
            }
            for p, _label in PRIORITIES
        }
        lead = self.lead.data
        return group_settings.Settings(
            schedule,
            hours,
            self.digest_frequency.data,
            self.digest_when_empty.data,
            int(lead) if lead else None,
        )
