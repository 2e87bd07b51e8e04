"""API views of the voice of the customer: comments with their themes, and corrections."""

from __future__ import annotations

from flask import jsonify, request, url_for

from feedback.services.design import catalog
from feedback.services.insights import alerts, cases, corrections
from feedback.services.insights import comments as inbox
from feedback.services.reports import results
from feedback.web.api import bp, schemas


def _public(item: dict) -> dict:
    # An API client is never shown contact details (the text is masked) or any staff state.
    return {
        "id": item["id"],
        "text": item["text"],
        "score": item["score"],
        "band": item["band"],
        "survey": item["survey"]["id"],
        "language": item["language"],
        "submitted_at": item["submitted_at"].isoformat(),
        "segments": item["segments"],
        "themes": item["themes"],
    }


@bp.get("/comments")
def list_comments():
    """Comments, newest first, a page at a time: ?survey=&theme=&group=&q=&since=&cursor=&limit=."""
    args = schemas.query(schemas.CommentsQuery)
    survey_id = catalog.find_survey(args.survey).id if args.survey else None
    since = results.parse_time(request.args.get("since"), "since")
    page = inbox.page(
        inbox.Filters(survey=survey_id, theme=args.theme, group=args.group, q=args.q, since=since),
        None,
        cursor=args.cursor,
        limit=args.limit or 100,
    )
    body = {
        "comments": [_public(i) for i in page.items],
        "total": page.total,
        "untagged": page.untagged,
        "next_cursor": page.next_cursor,
    }
    if page.next_cursor:
        rest = {k: v for k, v in request.args.items() if k != "cursor"}
        body["next"] = url_for("api.list_comments", cursor=page.next_cursor, **rest)
    return jsonify(body)


# One rule for both methods: with two, an id too large for the converter answers 405 to the
# one not tried first instead of 404.
@bp.route("/comments/<int:comment_id>", methods=["GET", "PATCH"])
def comment(comment_id: int):
    """GET the comment; PATCH sets its themes, kept as labelled data for the theme model."""
    if request.method == "PATCH":
        patch = schemas.body(schemas.CommentPatch)
        corrections.correct(comment_id, list(patch.themes), None)
    return jsonify(_public(inbox.one(comment_id, None)))


def _case(item: dict) -> dict:
    keep = [
        "id",
        "response",
        "survey",
        "group",
        "owner",
        "reason",
        "themes",
        "score",
        "priority",
        "status",
        "outcome",
        "customer_says",
        "overdue",
        "escalation_level",
    ]
    out = {k: item[k] for k in keep}
    for k in ("opened_at", "first_contact_due_at", "first_contact_at", "due_at", "closed_at"):
        out[k] = item[k].isoformat() if item[k] else None
    return out


@bp.get("/cases")
def list_cases():
    """Cases, the most urgent first: ?status=&group=&overdue=true&page=."""
    args = schemas.query(schemas.CasesQuery)
    found = cases.queue(
        cases.Filters(group=args.group, status=args.status, overdue=bool(args.overdue)),
        None,
        page=args.page or 1,
    )
    return jsonify(
        {
            "cases": [_case(i) for i in found["items"]],
            "total": found["total"],
            "page": found["page"],
            "per_page": found["per_page"],
        }
    )


# One rule for both methods, as for comments.
@bp.route("/cases/<int:case_id>", methods=["GET", "PATCH"])
def case(case_id: int):
    """GET a case (never with contact details); PATCH its status, outcome, owner or a note."""
    if request.method == "PATCH":
        patch = schemas.body(schemas.CasePatch)
        cases.update(
            case_id,
            None,
            status=patch.status,
            outcome=patch.outcome,
            note=patch.note,
            owner=patch.owner,
            contacted=bool(patch.contacted),
        )
    item = cases.one(case_id, None)
    return jsonify({**_case(item), "timeline": [_event(e) for e in item["timeline"]]})


def _event(e: dict) -> dict:
    return {"at": e["at"].isoformat(), "kind": e["kind"], "text": e["text"], "data": e["data"]}


def _alert(item: dict) -> dict:
    return {
        **item,
        "opened_at": item["opened_at"].isoformat(),
        "last_seen_at": item["last_seen_at"].isoformat(),
    }


@bp.get("/alerts")
def list_alerts():
    """Alerts, the most recently seen first: ?status=&group=&page=."""
    args = schemas.query(schemas.AlertsQuery)
    found = alerts.listing(args.status, args.group, args.page or 1)
    return jsonify(
        {
            "alerts": [_alert(a) for a in found["items"]],
            "total": found["total"],
            "page": found["page"],
            "per_page": found["per_page"],
        }
    )


@bp.patch("/alerts/<int:alert_id>")
def alert(alert_id: int):
    """Acknowledge, resolve or reopen an alert."""
    patch = schemas.body(schemas.AlertPatch)
    found = alerts.set_status(alert_id, patch.status, None)
    slug = found.group_id and cases.group_slug(found.group_id)
    return jsonify(_alert(alerts.public(found, slug or None)))
