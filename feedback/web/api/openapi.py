"""/api/v1/openapi.json: the API described in OpenAPI 3.1."""

from __future__ import annotations

from flask import current_app, jsonify

from feedback.web.api import bp


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


PROBLEM = {
    "description": "Error (RFC 9457)",
    "content": {"application/problem+json": {"schema": _ref("Problem")}},
}
ERRORS = {
    "401": PROBLEM,
    "404": PROBLEM,
    "422": PROBLEM,
    "429": {
        "description": "Too many requests; see Retry-After",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    },
}
ID_PARAM = {"in": "path", "required": True, "schema": {"type": "string"}}

SCHEMAS = {
    "ExportedResponse": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "survey": {"type": "integer"},
            "version": {"type": "integer"},
            "source": {"enum": ["invitation", "open_link", "import"]},
            "customer": {"type": ["string", "null"], "description": "the customer's external id"},
            "invitation": {"type": ["integer", "null"]},
            "locale": {"type": "string"},
            "submitted_at": {"type": "string", "format": "date-time"},
            "segments": {"type": "object"},
            "review_prompted": {"type": "boolean"},
            "answers": {
                "type": "object",
                "description": "by question key: a number, a text, a list of option keys, "
                "or {value, other} when 'Other' was described",
            },
        },
    },
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "CustomerIn": {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "maxLength": 128},
            "email": {"type": "string", "format": "email"},
            "phone": {"type": "string", "description": "International form, e.g. +447700900123"},
            "name": {"type": "string"},
            "locale": {"type": "string", "examples": ["en", "fa", "ar", "ru"]},
            "time_zone": {"type": "string", "examples": ["Asia/Tehran"]},
            "properties": {
                "type": "object",
                "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
            },
            "last_invited_at": {
                "type": "string",
                "format": "date-time",
                "description": "When another system last surveyed them; the fatigue window counts it.",
            },
            "opted_out": {"type": "boolean"},
        },
    },
    "Customer": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "email": {"type": ["string", "null"]},
            "phone": {"type": ["string", "null"]},
            "locale": {"type": "string"},
            "tier": {"type": ["string", "null"]},
            "opted_out": {"type": "boolean"},
            "last_invited_at": {"type": ["string", "null"], "format": "date-time"},
            "last_responded_at": {"type": ["string", "null"], "format": "date-time"},
            "next_invitation_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "PurchaseIn": {
        "type": "object",
        "required": ["id", "customer", "purchased_at"],
        "properties": {
            "id": {"type": "string", "description": "Your order id; posting it again changes nothing."},
            "customer": _ref("CustomerIn"),
            "purchased_at": {"type": "string", "format": "date-time"},
            "delivered_at": {"type": "string", "format": "date-time"},
            "amount": {"type": ["number", "string"]},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "channel": {"type": "string"},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "name": {"type": "string"},
                        "category": {"type": "string"},
                        "quantity": {"type": "integer"},
                        "price": {"type": ["number", "string"]},
                    },
                },
            },
            "properties": {"type": "object"},
        },
    },
    "Invitation": {
        "type": "object",
        "required": ["survey", "status"],
        "properties": {
            "survey": {"type": "string"},
            "invitation": {"type": "integer"},
            "status": {
                "enum": [
                    "scheduled",
                    "suppressed",
                    "waiting_for_delivery",
                    "sent",
                    "responded",
                    "expired",
                    "failed",
                    "cancelled",
                ]
            },
            "send_at": {"type": "string", "format": "date-time"},
            "channel": {"enum": ["email", "sms"]},
            "reason": {"enum": ["opted_out", "filtered", "stale", "no_contact", "sampled_out", "fatigue"]},
        },
    },
    "Purchase": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "customer": {"type": "string"},
            "purchased_at": {"type": "string"},
            "invitations": {"type": "array", "items": _ref("Invitation")},
        },
    },
    "Survey": {"type": "object", "description": "The survey JSON format (docs/survey-format.md)."},
    "Results": {
        "type": "object",
        "description": "Results JSON (see DESIGN.md): metrics with intervals, "
        "segments, changes and warnings.",
    },
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Candor API",
            "version": "1",
            "description": "Purchases in, survey results out. Authenticate with "
            "`Authorization: Bearer KEY` (feedback api-keys create NAME).",
        },
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/") + "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "webhook": {"type": "apiKey", "in": "header", "name": "X-Candor-Webhook-Secret"},
            },
            "schemas": SCHEMAS,
        },
        "paths": {
            "/purchases": {
                "post": {
                    "summary": "Record a purchase and schedule its invitations (idempotent on the order id)",
                    "requestBody": _body(_ref("PurchaseIn")),
                    "responses": {
                        "201": _json(_ref("Purchase"), "Stored; invitations scheduled or suppressed"),
                        "200": _json(_ref("Purchase"), "Already known; nothing new scheduled"),
                        **ERRORS,
                    },
                }
            },
            "/purchases/{id}/delivered": {
                "post": {
                    "summary": "Record the delivery; surveys triggered by delivery are scheduled",
                    "parameters": [{"name": "id", **ID_PARAM}],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["delivered_at"],
                            "properties": {"delivered_at": {"type": "string", "format": "date-time"}},
                        }
                    ),
                    "responses": {"200": _json(_ref("Purchase")), **ERRORS},
                }
            },
            "/customers": {
                "post": {
                    "summary": "Create or update a customer",
                    "requestBody": _body(_ref("CustomerIn")),
                    "responses": {
                        "201": _json(_ref("Customer"), "Created"),
                        "200": _json(_ref("Customer"), "Updated"),
                        **ERRORS,
                    },
                }
            },
            "/customers/{id}": {
                "get": {
                    "summary": "A customer with invitation history",
                    "parameters": [{"name": "id", **ID_PARAM}],
                    "responses": {"200": _json(_ref("Customer")), **ERRORS},
                }
            },
            "/customers/{id}/invitations/pending": {
                "delete": {
                    "summary": "Cancel every scheduled invitation",
                    "parameters": [{"name": "id", **ID_PARAM}],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/customers/{id}/unsubscribe": {
                "post": {
                    "summary": "Opt the customer out of all surveys",
                    "parameters": [{"name": "id", **ID_PARAM}],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/customers/{id}/resubscribe": {
                "post": {
                    "summary": "Clear an opt-out: the only way to, with a stated reason (audited)",
                    "parameters": [{"name": "id", **ID_PARAM}],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["reason"],
                            "properties": {"reason": {"type": "string", "minLength": 10, "maxLength": 500}},
                        }
                    ),
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/surveys": {
                "get": {"summary": "List surveys", "responses": {"200": _json({"type": "object"}), **ERRORS}},
                "post": {
                    "summary": "Create a survey (?publish=true&activate=true&override_reason=...)",
                    "requestBody": _body(_ref("Survey")),
                    "responses": {"201": _json(_ref("Survey")), "409": PROBLEM, **ERRORS},
                },
            },
            "/surveys/{id}": {
                "get": {
                    "summary": "A survey and its live version",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {"200": _json(_ref("Survey")), **ERRORS},
                }
            },
            "/surveys/{id}/results": {
                "get": {
                    "summary": "Results with intervals, segments, changes and warnings",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                        {
                            "name": "by",
                            "in": "query",
                            "schema": {"enum": ["tier", "channel", "region", "category", "store", "locale"]},
                        },
                        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    ],
                    "responses": {"200": _json(_ref("Results")), **ERRORS},
                }
            },
            "/responses": {
                "get": {
                    "summary": "Complete responses for export, oldest first, a page at a time",
                    "parameters": [
                        {
                            "name": "survey",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "key or id",
                        },
                        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["responses", "next_cursor"],
                                "properties": {
                                    "responses": {"type": "array", "items": _ref("ExportedResponse")},
                                    "next_cursor": {"type": ["string", "null"]},
                                    "next": {"type": "string"},
                                },
                            }
                        ),
                        **ERRORS,
                    },
                }
            },
            "/sms/inbound": {
                "post": {
                    "summary": "SMS replies from the gateway; a stop word (STOP, لغو, إلغاء, СТОП) opts out",
                    "security": [{"webhook": []}],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["from", "text"],
                            "properties": {"from": {"type": "string"}, "text": {"type": "string"}},
                        }
                    ),
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
