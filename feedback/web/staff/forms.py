"""Staff forms (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional, ValidationError

from feedback.services.accounts import MIN_PASSWORD


class NumberField(DecimalField):
    """A decimal number; "NaN", "sNaN" and "Infinity", which Decimal reads, are refused."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


ROLE_CHOICES = [
    SelectChoice("analyst", _l("Analyst: reads reports")),
    SelectChoice("designer", _l("Designer: builds and publishes surveys")),
    SelectChoice("agent", _l("Agent: follows up with customers")),
    SelectChoice("admin", _l("Admin: everything, including users")),
]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)]
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)]
    )


class LogoutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token, so a link on another site cannot sign you out."""


class PlannerForm(FlaskForm):
    """How many answers and invitations for a given precision (GET; changes nothing)."""

    metric = SelectField(
        _l("Figure"),
        choices=[
            SelectChoice("nps", _l("NPS (points)")),
            SelectChoice("proportion", _l("A percentage, e.g. CSAT (points)")),
        ],
    )
    margin = NumberField(
        _l("Precision wanted, ± points"),
        default=5,
        places=1,
        validators=[DataRequired(), NumberRange(0.5, 50)],
    )
    confidence = SelectField(
        _l("Confidence"),
        default="0.95",
        choices=[SelectChoice("0.9", "90%"), SelectChoice("0.95", "95%"), SelectChoice("0.99", "99%")],
    )
    population = IntegerField(
        _l("Customers you could invite (leave empty if very many)"),
        validators=[Optional(), NumberRange(1, 10**9)],
    )
    promoters = NumberField(
        _l("Expected promoters, % (NPS; empty for the worst case)"),
        validators=[Optional(), NumberRange(0, 100)],
    )
    detractors = NumberField(_l("Expected detractors, % (NPS)"), validators=[Optional(), NumberRange(0, 100)])
    response_rate = NumberField(
        _l("Expected response rate, %"), default=25, validators=[DataRequired(), NumberRange(0.1, 100)]
    )


class RespondentSettingsForm(FlaskForm):
    open_link = BooleanField(_l("Public open link (for receipts and QR codes)"))
    review_url = StringField(
        _l("Public review page offered to promoters on the thank-you page"),
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=False, message=_l("Enter a full http(s) address.")),
        ],
    )

    def validate_review_url(self, field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(gettext("Enter a full http(s) address."))
