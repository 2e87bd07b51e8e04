"""API: purchases in, customers in and out, opt-outs, the SMS reply webhook."""

from __future__ import annotations

import hmac

from flask import current_app, g, jsonify, request, url_for

from feedback.extensions import db, limiter
from feedback.services import tokens
from feedback.services.errors import ValidationFailed
from feedback.services.intake import customers, ingest
from feedback.services.validation import Reader
from feedback.web.api import bp, schemas
from feedback.web.errors import problem


def _json(model: type[schemas.Model]):
    """The body, checked first against its documented schema (``schemas``), as a plain dict
    for the services, which apply the rules a schema cannot state."""
    schemas.body(model)
    return request.get_json(silent=True)


def _both(model: type[schemas.Model], read):
    """Schema and service checks together, so one answer lists every problem of the body."""
    structural: list[tuple[str, str]] = []
    try:
        schemas.body(model)
    except ValidationFailed as exc:
        structural = exc.errors
    parsed = request.get_json(silent=True)
    if structural and not isinstance(parsed, dict):
        raise ValidationFailed(structural, "The body is not valid.")
    try:
        value = read(parsed)
    except ValidationFailed as exc:
        seen = {f for f, _ in structural}
        raise ValidationFailed(
            structural + [e for e in exc.errors if e[0] not in seen], exc.message
        ) from None
    if structural:
        raise ValidationFailed(structural, "The body is not valid.")
    return value


def _purchase_body(result: ingest.PurchaseResult) -> dict:
    p = result.purchase
    return {
        "id": p.external_id,
        "customer": result.customer.external_id,
        "purchased_at": p.purchased_at.isoformat(),
        "delivered_at": p.delivered_at.isoformat() if p.delivered_at else None,
        "amount": str(p.amount),
        "currency": p.currency,
        "channel": p.channel,
        "invitations": [o.to_dict() for o in result.outcomes],
    }


@bp.post("/purchases")
def post_purchase():
    """Store a purchase and schedule its invitations; a repeated order id changes nothing."""
    result = ingest.record_purchase(_both(schemas.PurchaseIn, ingest.read_purchase))
    response = jsonify(_purchase_body(result))
    response.status_code = 201 if result.created else 200
    response.headers["Location"] = url_for("api.post_purchase") + f"/{result.purchase.external_id}"
    return response


@bp.post("/purchases/<order_id>/delivered")
def purchase_delivered(order_id: str):
    r = Reader(_json(schemas.DeliveredIn))
    moment = r.moment("delivered_at", required=True, now=ingest.utcnow())
    if r.errors:
        raise ValidationFailed(r.errors)
    return jsonify(_purchase_body(ingest.mark_delivered(order_id, moment)))


@bp.post("/customers")
def post_customer():
    data = _both(schemas.CustomerIn, _customer)
    customer, created, ignored = ingest.upsert_customer_reporting(data)
    db.session.commit()
    body = customers.standing(customer)
    if ignored:
        body["ignored"] = [{"field": f, "message": m} for f, m in ignored]
    response = jsonify(body)
    response.status_code = 201 if created else 200
    return response


def _customer(body) -> ingest.CustomerData:
    data, errors = ingest.read_customer(body)
    if errors:
        raise ValidationFailed(errors, "The customer is not valid.")
    return data


@bp.get("/customers/<customer_id>")
def get_customer(customer_id: str):
    return jsonify(customers.standing(customers.by_external_id(customer_id)))


@bp.delete("/customers/<customer_id>/invitations/pending")
def cancel_pending(customer_id: str):
    customer = customers.by_external_id(customer_id)
    cancelled = customers.cancel_pending(customer)
    db.session.commit()
    return jsonify({"customer": customer.external_id, "cancelled": cancelled})


@bp.post("/customers/<customer_id>/unsubscribe")
def unsubscribe(customer_id: str):
    customer = customers.by_external_id(customer_id)
    cancelled = customers.opt_out(customer, "api")
    return jsonify({"customer": customer.external_id, "opted_out": True, "cancelled": cancelled})


@bp.post("/customers/<customer_id>/resubscribe")
def resubscribe(customer_id: str):
    """The one way to clear an opt-out: with a stated reason, written to the audit log."""
    customer = customers.by_external_id(customer_id)
    reason = schemas.body(schemas.ResubscribeIn).reason
    customers.resubscribe(customer, reason, f"api:{g.api_key.name}")
    return jsonify(customers.standing(customer))


@bp.post("/sms/inbound")
@limiter.limit("600 per minute")
def sms_inbound():
    """The gateway forwards replies here: {"from": "+44...", "text": "STOP"}; a stop word opts out."""
    r = Reader(_json(schemas.SmsIn))
    phone = r.phone("from", current_app.config.get("DEFAULT_PHONE_REGION"))
    text = r.text("text", required=True, max_length=1600)
    if r.errors:
        raise ValidationFailed(r.errors)
    customer = customers.opt_out_by_sms(phone, text)
    return jsonify({"opted_out": customer is not None})


def gateway_authorised() -> bool:
    """The SMS webhook is authenticated by the gateway's shared secret, not an API key."""
    secret = current_app.config.get("SMS_WEBHOOK_SECRET")
    given = request.headers.get("X-Candor-Webhook-Secret", "")
    return bool(secret) and hmac.compare_digest(str(secret).encode(), given.encode())


def rate_key() -> str:
    """Each API key has its own budget. The limit runs before the key is looked up, so use its digest."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "key:" + tokens.digest(token.strip())[:24]
    return f"ip:{request.remote_addr}"


def unauthorised_webhook():
    return problem(401, "Send the gateway's shared secret in X-Candor-Webhook-Secret.")
