"""Staff forms (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from feedback.services.accounts import MIN_PASSWORD

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
