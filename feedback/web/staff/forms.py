"""Staff forms (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from decimal import Decimal

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
    SelectChoice("analyst", "Analyst: reads reports"),
    SelectChoice("designer", "Designer: builds and publishes surveys"),
    SelectChoice("agent", "Agent: follows up with customers"),
    SelectChoice("admin", "Admin: everything, including users"),
]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device")


class UserForm(FlaskForm):
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)]
    )
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    password = PasswordField(
        "Initial password", validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)]
    )


class LogoutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token, so a link on another site cannot sign you out."""


class PlannerForm(FlaskForm):
    """How many answers and invitations for a given precision (GET; changes nothing)."""

    metric = SelectField(
        "Figure",
        choices=[
            SelectChoice("nps", "NPS (points)"),
            SelectChoice("proportion", "A percentage, e.g. CSAT (points)"),
        ],
    )
    margin = NumberField(
        "Precision wanted, ± points", default=5, places=1, validators=[DataRequired(), NumberRange(0.5, 50)]
    )
    confidence = SelectField(
        "Confidence",
        default="0.95",
        choices=[SelectChoice("0.9", "90%"), SelectChoice("0.95", "95%"), SelectChoice("0.99", "99%")],
    )
    population = IntegerField(
        "Customers you could invite (leave empty if very many)",
        validators=[Optional(), NumberRange(1, 10**9)],
    )
    promoters = NumberField(
        "Expected promoters, % (NPS; empty for the worst case)", validators=[Optional(), NumberRange(0, 100)]
    )
    detractors = NumberField("Expected detractors, % (NPS)", validators=[Optional(), NumberRange(0, 100)])
    response_rate = NumberField(
        "Expected response rate, %", default=25, validators=[DataRequired(), NumberRange(0.1, 100)]
    )


class RespondentSettingsForm(FlaskForm):
    open_link = BooleanField("Public open link (for receipts and QR codes)")
    review_url = StringField(
        "Public review page offered to promoters on the thank-you page",
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=False, message="Enter a full http(s) address."),
        ],
    )

    def validate_review_url(self, field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a full http(s) address.")
