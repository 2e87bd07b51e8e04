"""A staff member's own account (password, one-time codes, signing out everywhere), the code
step of signing in, and what admins change on other accounts (role, disabled)."""

from __future__ import annotations

import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from feedback.extensions import limiter
from feedback.services import accounts, credentials
from feedback.services.errors import NotFound, ValidationFailed
from feedback.web.auth import permission_required
from feedback.web.staff import bp
from feedback.web.staff.builder_forms import SimpleForm
from feedback.web.staff.forms import ROLE_CHOICES


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_code():
    pending = session.get("pending_login")
    if not pending or pending.get("until", 0) < time.time():
        session.pop("pending_login", None)
        flash(gettext("Sign in again: the code step expired."), "error")
        return redirect(url_for("staff.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.check_code(int(pending["user"]), form.code.data)
        if user is not None:
            session.pop("pending_login", None)
            login_user(user, remember=bool(pending.get("remember")))
            return redirect(pending.get("next") or url_for("staff.dashboard"))
        form.code.errors.append(gettext("That code is not right, or was used already. Try the next one."))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("staff/login_code.html", form=form), status


@bp.route("/account", methods=["GET"])
@permission_required("view_reports")
def account():
    return render_template("staff/account.html", **_account_forms())


def _account_forms(**given) -> dict:
    user = current_user._get_current_object()
    setup = None
    if not user.totp_secret:
        secret = session.get("totp_setup") or credentials.new_totp_secret()
        session["totp_setup"] = secret
        setup = {
            "secret": secret,
            "uri": credentials.totp_uri(secret, user.email, current_app.config["COMPANY_NAME"]),
        }
    return {
        "password_form": given.get("password_form") or PasswordForm(formdata=None),
        "code_form": given.get("code_form") or CodeForm(formdata=None),
        "simple": SimpleForm(formdata=None),
        "setup": setup,
        "required": _two_factor_required(user),
    }


@bp.post("/account/password")
@permission_required("view_reports")
def change_password():
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("staff/account.html", **_account_forms(password_form=form)), 400
    user = current_user._get_current_object()
    try:
        accounts.change_password(user, form.current_password.data, form.new_password.data)
    except ValidationFailed as exc:
        for field, message in exc.errors:
            getattr(form, field).errors.append(message)
        return render_template("staff/account.html", **_account_forms(password_form=form)), 422
    login_user(user)  # this browser carries on under the new session version; all others are out
    flash(gettext("Password changed. Every other session of this account has been signed out."), "success")
    return redirect(url_for("staff.account"), 303)


@bp.post("/account/two-factor")
@permission_required("view_reports")
def two_factor():
    form = CodeForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        return render_template("staff/account.html", **_account_forms(code_form=form)), 400
    if user.totp_secret:
        done = accounts.stop_two_factor(user, form.code.data)
        message = gettext("One-time codes are off for this account.")
    else:
        done = accounts.start_two_factor(user, session.get("totp_setup", ""), form.code.data)
        message = gettext("One-time codes are on: signing in now asks for a code from your app.")
    if not done:
        form.code.errors.append(gettext("That code is not right, or was used already. Try the next one."))
        return render_template("staff/account.html", **_account_forms(code_form=form)), 422
    session.pop("totp_setup", None)
    flash(message, "success")
    return redirect(url_for("staff.account"), 303)


@bp.post("/account/sign-out-everywhere")
@permission_required("view_reports")
def sign_out_everywhere():
    if not SimpleForm().validate_on_submit():
        abort(400)
    accounts.sign_out(current_user._get_current_object(), everywhere=True)
    logout_user()
    flash(gettext("Signed out on every device."), "success")
    return redirect(url_for("staff.login"), 303)


@bp.post("/users/<int:user_id>/role")
@permission_required("manage_users")
def user_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if user_id == current_user.id:
        flash(gettext("Ask another admin to change your own role."), "error")
        return redirect(url_for("staff.users"), 303)
    try:
        user = accounts.set_role(user_id, form.role.data, current_user._get_current_object())
    except (NotFound, ValidationFailed) as exc:
        abort(404 if isinstance(exc, NotFound) else 400)
    flash(
        gettext(
            "%(email)s is now %(role)s; their sessions were signed out.", email=user.email, role=user.role
        ),
        "success",
    )
    return redirect(url_for("staff.users"), 303)


@bp.post("/users/<int:user_id>/active")
@permission_required("manage_users")
def user_active(user_id: int):
    if not SimpleForm().validate_on_submit():
        abort(400)
    if user_id == current_user.id:
        flash(gettext("You cannot disable your own account."), "error")
        return redirect(url_for("staff.users"), 303)
    active = request.form.get("active") == "1"
    try:
        user = accounts.set_active(user_id, active, current_user._get_current_object())
    except NotFound:
        abort(404)
    flash(
        gettext("%(email)s is enabled.", email=user.email)
        if active
        else gettext("%(email)s is disabled and signed out.", email=user.email),
        "success",
    )
    return redirect(url_for("staff.users"), 303)


def _two_factor_required(user) -> bool:
    return (
        bool(current_app.config.get("REQUIRE_ADMIN_TWO_FACTOR"))
        and user.role == "admin"
        and not user.totp_secret
    )


OPEN_WITHOUT_TWO_FACTOR = frozenset(
    {
        "staff.account",
        "staff.two_factor",
        "staff.logout",
        "staff.login",
        "staff.login_code",
        "staff.sign_out_everywhere",
    }
)


@bp.before_request
def two_factor_first():
    """When the company requires it, an admin sets up one-time codes before anything else."""
    if not current_user.is_authenticated or request.endpoint in OPEN_WITHOUT_TWO_FACTOR:
        return None
    if _two_factor_required(current_user):
        flash(gettext("Your company requires one-time codes for admins: set them up to go on."), "warning")
        return redirect(url_for("staff.account"))
    return None


@bp.after_request
def no_store(response):
    # Staff pages show customers' answers and contact details: never kept by browsers or proxies.
    if not request.path.startswith("/staff/assets/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/language")
@permission_required("view_reports")  # every role has it, as for the account page
def choose_language():
    """The header's language switcher; it returns to the page it was used on."""
    if not SimpleForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_language(current_user._get_current_object(), request.form.get("language") or None)
    except ValidationFailed as exc:
        flash("; ".join(m for _, m in exc.errors), "error")
    back = request.form.get("back") or ""
    return redirect(back if _local_staff_path(back) else url_for("staff.dashboard"), 303)


def _local_staff_path(back: str) -> bool:
    """A path on the staff side of this site: no other host, no header-breaking characters."""
    return (
        back.startswith("/staff/")
        and "//" not in back
        and "\\" not in back
        and len(back) <= 2000
        and all(" " < c != "\x7f" for c in back)
    )
