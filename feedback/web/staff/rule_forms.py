"""The dispatch rule editor: a form whose answers go through the survey format's own checks.

The form only turns text into numbers and lists; every limit (delay, sampling, fatigue,
quiet hours, reminder before expiry, filters, priority) is judged by
``surveys.serialize.dispatch_from_dict``, the validator the API uses for a survey's
``dispatch`` section, so the two can never disagree.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

import surveys
from feedback.web.staff.builder_forms import LOCALE_NAMES, choices
from feedback.web.staff.formatting import said
from feedback.web.staff.forms import NumberField
from surveys import serialize
from surveys.model import SUPPORTED_LOCALES

CHANNEL_CHOICES = {
    "email": ("email",),
    "sms": ("sms",),
    "email,sms": ("email", "sms"),
    "sms,email": ("sms", "email"),
}
# Where a setting's problem is shown: the survey format's path -> the form field.
FIELD_OF = {
    "trigger": "trigger",
    "delay_hours": "delay",
    "channels": "channels",
    "sampling": "sampling_percent",
    "fatigue_days": "fatigue_days",
    "quiet_hours": "quiet_start",
    "rate_per_minute": "rate_per_minute",
    "reminder_after_days": "reminder_after_days",
    "expires_after_days": "expires_after_days",
    "priority": "priority",
    "filters.channel": "only_channels",
    "filters.category": "only_categories",
    "filters.locale": "only_locales",
    "filters.min_amount": "min_amount",
    "filters.max_amount": "max_amount",
    "filters.properties": "only_stores",
}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RuleForm(FlaskForm):
    trigger = SelectField(
        _l("Send after"),
        choices=choices([("purchase", _l("the purchase")), ("delivery", _l("the delivery"))]),
    )
    delay = NumberField(_l("Wait"), places=None, validators=[InputRequired()])
    delay_unit = SelectField(_l("Unit"), choices=choices([("hours", _l("hours")), ("days", _l("days"))]))
    channels = SelectField(
        _l("Channel"),
        choices=choices(
            [
                ("email", _l("E-mail")),
                ("sms", _l("SMS")),
                ("email,sms", _l("E-mail, or SMS when there is no address")),
                ("sms,email", _l("SMS, or e-mail when there is no number")),
            ]
        ),
    )
    sampling_percent = NumberField(
        _l("Invite this share of purchases (%)"), places=None, validators=[InputRequired()]
    )
    fatigue_days = IntegerField(
        _l("At most one survey per customer every (days)"), validators=[InputRequired()]
    )
    quiet_start = StringField(_l("Quiet from (HH:MM)"), validators=[Optional(), Length(max=5)])
    quiet_end = StringField(_l("Quiet until (HH:MM)"), validators=[Optional(), Length(max=5)])
    rate_per_minute = IntegerField(_l("Send at most (messages a minute)"), validators=[InputRequired()])
    reminder_after_days = IntegerField(
        _l("One reminder after (days; empty for none)"), validators=[Optional()]
    )
    expires_after_days = IntegerField(_l("The link expires after (days)"), validators=[InputRequired()])
    priority = IntegerField(_l("Priority (0-100; higher goes first)"), validators=[InputRequired()])
    only_channels = StringField(
        _l("Only sales channels (comma-separated; empty for all)"), validators=[Length(max=500)]
    )
    only_categories = StringField(
        _l("Only product categories (comma-separated)"), validators=[Length(max=500)]
    )
    only_stores = StringField(_l("Only stores (comma-separated)"), validators=[Length(max=500)])
    only_locales = CheckboxesField(
        _l("Only customers who speak"), choices=choices((c, LOCALE_NAMES[c]) for c in SUPPORTED_LOCALES)
    )
    min_amount = NumberField(_l("Only purchases of at least"), places=None, validators=[Optional()])
    max_amount = NumberField(_l("Only purchases of at most"), places=None, validators=[Optional()])

    @classmethod
    def of(cls, rule: surveys.DispatchRule | None) -> RuleForm:
        rule = rule or surveys.DispatchRule()
        days = rule.delay_hours >= 24 and rule.delay_hours % 24 == 0
        filters = rule.filters
        return cls(
            trigger=rule.trigger,
            delay=_number(rule.delay_hours / 24 if days else rule.delay_hours),
            delay_unit="days" if days else "hours",
            channels=",".join(rule.channels),
            sampling_percent=_number(rule.sampling * 100),
            fatigue_days=rule.fatigue_days,
            quiet_start=(rule.quiet_hours or ("", ""))[0],
            quiet_end=(rule.quiet_hours or ("", ""))[1],
            rate_per_minute=rule.rate_per_minute,
            reminder_after_days=rule.reminder_after_days,
            expires_after_days=rule.expires_after_days,
            priority=rule.priority,
            only_channels=", ".join(_listed(filters.get("channel"))),
            only_categories=", ".join(_listed(filters.get("category"))),
            only_stores=", ".join(_listed((filters.get("properties") or {}).get("store"))),
            only_locales=_listed(filters.get("locale")),
            min_amount=filters.get("min_amount"),
            max_amount=filters.get("max_amount"),
        )

    def as_dispatch(self) -> dict[str, Any]:
        """The answers in the survey format's ``dispatch`` shape."""
        hours = float(self.delay.data) * (24 if self.delay_unit.data == "days" else 1)
        quiet = [self.quiet_start.data.strip(), self.quiet_end.data.strip()]
        filters: dict[str, Any] = {}
        for key, field in (("channel", self.only_channels), ("category", self.only_categories)):
            if values := _split(field.data):
                filters[key] = values
        if stores := _split(self.only_stores.data):
            filters["properties"] = {"store": stores}
        if self.only_locales.data:
            filters["locale"] = list(self.only_locales.data)
        for key, field in (("min_amount", self.min_amount), ("max_amount", self.max_amount)):
            if field.data is not None:
                filters[key] = float(field.data)
        return {
            "trigger": self.trigger.data,
            "delay_hours": hours,
            "channels": list(CHANNEL_CHOICES.get(self.channels.data, ())),
            "sampling": float(self.sampling_percent.data) / 100,
            "fatigue_days": self.fatigue_days.data,
            "quiet_hours": quiet if any(quiet) else None,
            "rate_per_minute": self.rate_per_minute.data,
            "reminder_after_days": self.reminder_after_days.data,
            "expires_after_days": self.expires_after_days.data,
            "priority": self.priority.data,
            "filters": filters,
        }

    def rule(self) -> surveys.DispatchRule | None:
        """The checked rule, or None with each problem attached to its field."""
        if not self.validate_on_submit():
            return None
        try:
            return serialize.dispatch_from_dict(self.as_dispatch())
        except surveys.SurveyError as exc:
            for path, message in exc.problems:
                field = getattr(self, FIELD_OF.get(path, FIELD_OF.get(path.split(".")[0], "trigger")))
                field.errors = [*field.errors, said(message)]
            return None


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _listed(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)
