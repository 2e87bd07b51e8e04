"""Operations: CSV imports with their reports, and what dispatch sent or held back."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField

from feedback.services.dispatch import stats as dispatch_stats
from feedback.services.errors import ValidationFailed
from feedback.services.intake import importing
from feedback.web.auth import permission_required
from feedback.web.staff import background, bp

MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=[SelectChoice("customers", _l("Customers")), SelectChoice("purchases", _l("Purchases"))],
    )
    file = FileField(
        _l("CSV file (UTF-8, header row; see the column guide)"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
    )


@bp.route("/imports", methods=["GET", "POST"])
@permission_required("import_data")
def imports():
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        raw = upload.read(MAX_UPLOAD + 1)
        if len(raw) > MAX_UPLOAD:
            form.file.errors.append(
                gettext("The file is over 20 MB; use `feedback import` on the server for large files.")
            )
            status = 413
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors.append(gettext("The file is not UTF-8 text."))
                status = 422
            else:
                try:
                    run = background.start_import(
                        current_app._get_current_object(),
                        form.kind.data,
                        text,
                        upload.filename or "upload.csv",
                        current_user,
                    )
                except ValidationFailed as exc:
                    form.file.errors.extend(m for _, m in exc.errors)
                    status = 422
                else:
                    return redirect(url_for("staff.import_run", run_id=run.id))
    elif request.method == "POST":
        status = 400
    runs = importing.recent_runs()
    return render_template("staff/imports.html", form=form, runs=runs), status


@bp.get("/imports/<int:run_id>")
@permission_required("import_data")
def import_run(run_id: int):
    run = importing.get_run(run_id)
    return render_template("staff/import_run.html", run=run)


@bp.get("/imports/<int:run_id>/report.csv")
@permission_required("import_data")
def import_report(run_id: int):
    run, text = importing.report_csv(run_id)
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="import-{run.id}-rejected.csv"'},
    )


@bp.get("/dispatch")
@permission_required("view_reports")
def dispatch():
    days = request.args.get("days", 30, type=int)
    if not 1 <= days <= 366:
        abort(400, description=gettext("Days must be between 1 and 366."))
    rows = dispatch_stats.by_day(days=days)
    return render_template(
        "staff/dispatch.html",
        rows=rows,
        totals=dispatch_stats.totals(rows),
        funnel=dispatch_stats.funnel(days=days),
        failures=dispatch_stats.failures(),
        mails=dispatch_stats.dev_mailbox(),
        days=days,
        reasons=dispatch_stats.SUPPRESSION_REASONS,
    )


@bp.get("/dispatch/mail/<name>")
@permission_required("manage_dispatch")
def dev_mail(name: str):
    """A message the development mailbox holds, as text (HTML parts are shown as source)."""
    message = dispatch_stats.dev_message(name)
    if message is None:
        abort(404)
    return Response(message.as_string(), mimetype="text/plain")
