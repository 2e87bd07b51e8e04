"""The comments inbox: /staff/comments. Filters live in the URL, so a view can be shared."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from feedback.services.design import catalog
from feedback.services.errors import ValidationFailed
from feedback.services.insights import comments, corrections, groups
from feedback.services.reports.results import parse_time
from feedback.web.auth import can, permission_required
from feedback.web.staff import bp
from feedback.web.staff.builder_forms import SimpleForm

SEGMENTS = {"tier": "tier", "channel": "sales_channel", "region": "region", "category": "category"}


def _filters() -> comments.Filters:
    args = request.args
    survey = args.get("survey", "")
    band = args.get("band") or None
    if band not in (None, *comments.BANDS):
        raise ValidationFailed([("band", gettext("choose detractor, passive or promoter"))])
    return comments.Filters(
        survey=int(survey) if survey.isascii() and survey.isdigit() and int(survey) < 2**63 else None,
        theme=args.get("theme") or None,
        group=args.get("group") or None,
        band=band,
        language=args.get("language") or None,
        q=(args.get("q") or "").strip()[:200] or None,
        untagged=args.get("untagged") == "1",
        starred=args.get("starred") == "1",
        unread=args.get("unread") == "1",
        since=parse_time(args.get("since"), "since"),
        segments={SEGMENTS[k]: v for k, v in args.items() if k in SEGMENTS and v},
    )


@bp.get("/comments")
@permission_required("view_reports")
def comments_inbox():
    groups.ensure_defaults()
    try:
        filters = _filters()
        result = comments.page(filters, current_user._get_current_object(), request.args.get("cursor"))
    except ValidationFailed as exc:
        flash("; ".join(f"{f}: {m}" for f, m in exc.errors), "error")
        return redirect(url_for("staff.comments_inbox"))
    return render_template(
        "staff/comments.html",
        page=result,
        filters=filters,
        surveys=catalog.list_surveys(),
        themes=sorted(groups.theme_codes()),
        group_list=groups.all_groups(),
        simple=SimpleForm(formdata=None),
        args={k: v for k, v in request.args.items() if k != "cursor"},
        untagged_url=url_for(
            "staff.comments_inbox",
            **{**{k: v for k, v in request.args.items() if k != "cursor"}, "untagged": "1"},
        ),
    )


@bp.get("/comments/<int:comment_id>")
@permission_required("view_reports")
def comment(comment_id: int):
    item = comments.one(comment_id, current_user._get_current_object())
    comments.mark_read(comment_id, current_user._get_current_object())
    return render_template(
        "staff/comment.html",
        item=item,
        themes=sorted(groups.theme_codes()),
        simple=SimpleForm(formdata=None),
        may_correct=can("correct_themes"),
    )


@bp.post("/comments/<int:comment_id>/state")
@permission_required("view_reports")
def comment_state(comment_id: int):
    if not SimpleForm().validate_on_submit():
        abort(400)
    viewer = current_user._get_current_object()
    action = request.form.get("action")
    if action == "star":
        comments.star(comment_id, viewer, True)
    elif action == "unstar":
        comments.star(comment_id, viewer, False)
    elif action == "unread":
        comments.mark_read(comment_id, viewer, False)
    elif action == "note":
        try:
            comments.add_note(comment_id, viewer, request.form.get("note", ""))
        except ValidationFailed as exc:
            flash("; ".join(m for _, m in exc.errors), "error")
    else:
        abort(400)
    back = request.form.get("back") or ""
    return redirect(
        back if back.startswith("/staff/comments") else url_for("staff.comment", comment_id=comment_id), 303
    )


@bp.post("/comments/<int:comment_id>/themes")
@permission_required("correct_themes")
def correct_themes(comment_id: int):
    if not SimpleForm().validate_on_submit():
        abort(400)
    try:
        corrections.correct(comment_id, request.form.getlist("theme"), current_user._get_current_object())
    except ValidationFailed as exc:
        flash("; ".join(m for _, m in exc.errors), "error")
    else:
        flash(gettext("Themes saved. The correction is kept as an example for the theme model."), "success")
    return redirect(url_for("staff.comment", comment_id=comment_id), 303)
