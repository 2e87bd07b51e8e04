"""Staff views: thin; they parse, call a service, and render."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import plotly
from flask import current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_user, logout_user

from feedback.extensions import limiter
from feedback.services import accounts
from feedback.services.design import catalog
from feedback.services.errors import Conflict, ValidationFailed
from feedback.services.reports import dashboard as survey_dashboard
from feedback.services.reports import planning, results
from feedback.services.segments import SEGMENT_FIELDS
from feedback.web.auth import permission_required
from feedback.web.staff import bp, headlines
from feedback.web.staff.builder_forms import SimpleForm
from feedback.web.staff.forms import ROLE_CHOICES, LoginForm, LogoutForm, PlannerForm, UserForm

CODE_SECONDS = 300  # how long the one-time code step waits after the password
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@bp.context_processor
def _layout() -> dict:
    # formdata=None: the sign-out form never reads the request (which may be any garbage).
    language = str(get_locale() or "en")
    return {
        "logout_form": LogoutForm(formdata=None),
        "can": lambda p: accounts.can(current_user, p),
        "page_locale": language,
        "page_dir": "rtl" if language in ("fa", "ar") else "ltr",
        "languages": LANGUAGE_NAMES,
    }


# Each language named in itself, as a switcher should.
LANGUAGE_NAMES = (("en", "English"), ("fa", "فارسی"), ("ar", "العربية"), ("ru", "Русский"))


def _safe_next(target: str | None) -> str:
    """Only a path on this site. Browsers drop tab, CR and LF from a URL before they read it
    (WHATWG URL), so "/\t/evil.example" would become "//evil.example": judge what they see."""
    fallback = url_for("staff.dashboard")
    if not target:
        return fallback
    seen = re.sub(r"[\t\r\n]", "", target)
    if re.search(r"[\x00-\x1f\x7f\\]", seen):
        return fallback
    parts = urlsplit(seen)
    if parts.scheme or parts.netloc or not seen.startswith("/") or seen.startswith("//"):
        return fallback
    return seen


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = accounts.check_password(form.email.data, form.password.data)
        if result.user is not None and result.needs_code:
            session["pending_login"] = {
                "user": result.user.id,
                "remember": bool(form.remember.data),
                "next": _safe_next(request.args.get("next")),
                "until": time.time() + CODE_SECONDS,
            }
            return redirect(url_for("staff.login_code"))
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        if result.locked:
            minutes = current_app.config.get("LOGIN_LOCKOUT_MINUTES", 15)
            form.password.errors.append(
                gettext(
                    "Too many failed sign-ins: this account is locked for %(minutes)s minutes.",
                    minutes=minutes,
                )
            )
            status = 429
        else:
            form.password.errors.append(gettext("Wrong e-mail or password."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
@permission_required("view_reports")
def logout():
    if LogoutForm().validate_on_submit():
        # Not only this browser: a copy of the cookie taken earlier stops working too.
        accounts.sign_out(current_user._get_current_object())
        logout_user()
    return redirect(url_for("staff.login"))


@bp.get("/")
@permission_required("view_reports")
def dashboard():
    surveys = catalog.list_surveys()
    chosen = request.args.get("survey", type=int)
    # Without a choice, the survey customers answered most recently: the newest may have no answers.
    latest = catalog.latest_answered()
    survey = next((s for s in surveys if s.id == chosen), None) or next(
        (s for s in surveys if s.id == latest),
        next((s for s in surveys if s.status == "active"), surveys[0] if surveys else None),
    )
    by = request.args.get("by", "tier") or None
    date_from, date_to = request.args.get("from") or None, request.args.get("to") or None
    view, problems = None, []
    if survey is not None:
        try:
            start, end = results.parse_window(date_from, date_to)
            view = survey_dashboard.build(survey, by=by, start=start, end=end)
        except ValidationFailed as exc:
            problems = exc.errors
    return render_template(
        "staff/dashboard.html",
        surveys=surveys,
        survey=survey,
        view=view,
        by=by,
        fields=SEGMENT_FIELDS,
        date_from=date_from or "",
        date_to=date_to or "",
        problems=problems,
        say=headlines,
        direction=direction_class,
    ), 422 if problems else 200


def direction_class(difference: float | None, significant: bool) -> str:
    """CSS class of a difference: better, worse, or neutral when it may be noise."""
    if not significant or not difference:
        return "neutral"
    return "better" if difference > 0 else "worse"


@bp.route("/planner")
@permission_required("view_reports")
def planner():
    form = PlannerForm(request.args, meta={"csrf": False})
    plan = None
    if request.args and form.validate():
        try:
            plan = planning.plan(form.data)
        except ValidationFailed as exc:
            for field, message in exc.errors:
                getattr(form, field).errors.append(message)
    return render_template(
        "staff/planner.html", form=form, plan=plan
    ), 422 if request.args and not plan else 200


@bp.get("/assets/plotly.min.js")
@permission_required("view_reports")
def plotly_js():
    # Served from the installed plotly package: no CDN, and it matches the Python version.
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400)


@bp.route("/users", methods=["GET", "POST"])
@permission_required("manage_users")
def users():
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data, form.role.data, form.password.data, form.name.data or ""
            )
        except ValidationFailed as exc:
            for field, message in exc.errors:
                getattr(form, field).errors.append(message)
            status = 422
        except Conflict as exc:
            form.email.errors.append(exc.message)
            status = 409
        else:
            flash(gettext("Created %(email)s (%(role)s).", email=user.email, role=user.role), "success")
            return redirect(url_for("staff.users"))
    elif request.method == "POST":
        status = 400
    return render_template(
        "staff/users.html",
        form=form,
        users=accounts.list_users(),
        simple=SimpleForm(formdata=None),
        roles=[(c.value, c.label) for c in ROLE_CHOICES],
    ), status
