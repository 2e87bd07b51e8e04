"""The agent's queue of cases (/staff/cases), one case with its timeline, and the alerts."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user

from feedback.extensions import csrf
from feedback.services.errors import ValidationFailed
from feedback.services.insights import alerts, cases, digests, groups, recovery
from feedback.web.auth import can, permission_required
from feedback.web.staff import bp
from feedback.web.staff.builder_forms import SimpleForm


@bp.get("/cases")
@permission_required("follow_up")
def cases_queue():
    groups.ensure_defaults()
    f = cases.Filters(
        group=request.args.get("group") or None,
        status=request.args.get("status") or None,
        overdue=request.args.get("overdue") == "1",
        mine=request.args.get("mine") == "1",
    )
    page = request.args.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100_000 else 1
    try:
        found = cases.queue(f, current_user._get_current_object(), page=page)
    except ValidationFailed as exc:
        return render_template(
            "staff/cases.html", found=None, problems=exc.errors, filters=f, groups=groups.all_groups()
        ), 422
    by = request.args.get("by") if request.args.get("by") in recovery.DIMENSIONS else "group"
    more = found["total"] > found["per_page"] * page
    rest = _kept(request.args, QUEUE_ARGS)
    return render_template(
        "staff/cases.html",
        found=found,
        problems=None,
        filters=f,
        groups=groups.all_groups(),
        next_url=url_for("staff.cases_queue", page=page + 1, **rest) if more else None,
        closing=recovery.headline(),
        loop_rows=recovery.report(by),
        loop_by=by,
    )


@bp.get("/cases/<int:case_id>")
@permission_required("follow_up")
def case(case_id: int):
    viewer = current_user._get_current_object()
    item = cases.one(case_id, viewer)
    return render_template(
        "staff/case.html",
        item=item,
        simple=SimpleForm(formdata=None),
        may_work=can("work_cases"),
        staff=cases.working_staff() if can("work_cases") else [],
        outreach=_outreach(item),
    )


def _outreach(item: dict) -> dict | None:
    """A mailto: and tel: link with a short message in the customer's language."""
    customer = item.get("customer") or {}
    if not customer.get("email") and not customer.get("phone"):
        return None
    locale = (customer.get("locale") or "en").split("-")[0]
    with force_locale(locale):
        subject = gettext("About your recent feedback")
        body = gettext(
            "Hello %(name)s,\n\nThank you for telling us about your experience. "
            "We are sorry it fell short, and we would like to put it right. "
            "Could you tell us a good time to talk?\n",
            name=customer.get("name") or "",
        )
    out = {}
    if customer.get("email"):
        out["mailto"] = f"mailto:{quote(customer['email'])}?subject={quote(subject)}&body={quote(body)}"
    if customer.get("phone"):
        out["tel"] = "tel:" + "".join(ch for ch in customer["phone"] if ch.isdigit() or ch == "+")
    out["subject"], out["body"] = subject, body
    return out


@bp.post("/cases/<int:case_id>")
@permission_required("work_cases")
def case_update(case_id: int):
    if not SimpleForm().validate_on_submit():
        abort(400)
    form = request.form
    owner = form.get("owner") or None
    try:
        cases.update(
            case_id,
            current_user._get_current_object(),
            status=form.get("status") or None,
            outcome=form.get("outcome") or None,
            note=form.get("note") if form.get("note", "").strip() else None,
            owner=int(owner) if owner and owner.isascii() and owner.isdigit() and len(owner) < 19 else None,
            contacted=form.get("contacted") == "1",
        )
    except ValidationFailed as exc:
        flash("; ".join(m for _, m in exc.errors), "error")
    else:
        flash(gettext("Case updated."), "success")
    return redirect(url_for("staff.case", case_id=case_id), 303)


@bp.get("/alerts")
@permission_required("view_reports")
def alerts_page():
    status = request.args.get("status") or None
    group = request.args.get("group") or None
    try:
        found = alerts.listing(status, group, localized=True)
    except ValidationFailed as exc:
        return render_template(
            "staff/alerts.html",
            found=None,
            problems=exc.errors,
            status=status,
            group=group,
            groups=groups.all_groups(),
        ), 422
    return render_template(
        "staff/alerts.html",
        found=found,
        problems=None,
        status=status,
        group=group,
        groups=groups.all_groups(),
        simple=SimpleForm(formdata=None),
        may_act=can("follow_up"),
        alert_args=kept_alert_args(),
    )


@bp.post("/alerts/<int:alert_id>")
@permission_required("follow_up")
def alert_status(alert_id: int):
    if not SimpleForm().validate_on_submit():
        abort(400)
    try:
        alerts.set_status(alert_id, request.form.get("status", ""), current_user._get_current_object())
    except ValidationFailed as exc:
        flash("; ".join(m for _, m in exc.errors), "error")
    return redirect(url_for("staff.alerts_page", **kept_alert_args()) + f"#alert-{alert_id}", 303)


# The filters a list page carries into its own links. Anything else in the query string stays
# out of url_for: "endpoint" or "case_id" would collide with its arguments, "_external" and
# "_scheme" would build the link from the request's Host.
QUEUE_ARGS = ("status", "group", "overdue", "by", "mine")
ALERT_ARGS = ("status", "group")


def _kept(args, names: tuple[str, ...]) -> dict[str, str]:
    return {k: args[k] for k in names if args.get(k)}


def kept_alert_args() -> dict[str, str]:
    return _kept(request.args, ALERT_ARGS)


@bp.route("/digest/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click posts come without a session; the signed link is the key
def digest_choice(token: str):
    """The link in a digest, no sign-in: GET asks (mail scanners open every link), POST acts."""
    if request.method == "POST":
        group, choice = digests.apply_link(token)
        return render_template("staff/digest_choice.html", group=group, choice=choice, done=True)
    _member, group, choice = digests.read_link(token)
    return render_template("staff/digest_choice.html", group=group, choice=choice, done=False)
