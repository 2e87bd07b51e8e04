"""/api/v1/openapi.json: the API described in OpenAPI 3.1."""

from __future__ import annotations

from flask import current_app, jsonify

from feedback.web.api import bp, schemas
from feedback.web.api.openapi_schemas import SCHEMAS
from feedback.web.api.openapi_schemas import ref as _ref


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _files(description: str) -> dict:
    binary = {"type": "string", "format": "binary"}
    return {
        "text/csv": {"schema": {"type": "string", "description": description}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": binary},
    }


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


PROBLEM = {
    "description": "Error (RFC 9457)",
    "content": {"application/problem+json": {"schema": _ref("Problem")}},
}
ERRORS = {
    "400": PROBLEM,
    "401": PROBLEM,
    "404": PROBLEM,
    "413": PROBLEM,
    "415": PROBLEM,
    "422": PROBLEM,
    "429": {
        "description": "Too many requests; see Retry-After",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    },
}
ID_PARAM = {"in": "path", "required": True, "schema": {"type": "string"}}


def document() -> dict:
    """The API as OpenAPI 3.1. Request bodies and query parameters come from the models that
    validate them (``schemas``); responses are described here."""
    survey_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    customer_id = {"name": "id", **ID_PARAM}
    comment_id = {**survey_id, "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}}
    case_id = comment_id
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Candor API",
            "version": "1",
            "description": "Purchases in, survey results out. Authenticate with "
            "`Authorization: Bearer KEY` (feedback api-keys create NAME). Bodies are checked against "
            "the schemas below; rules a schema cannot state (a phone number that exists, a purchase "
            "not in the future, a survey's own rules) answer 422 with the field.",
        },
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/") + "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "webhook": {"type": "apiKey", "in": "header", "name": "X-Candor-Webhook-Secret"},
            },
            "schemas": {**SCHEMAS, **schemas.schemas()},
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
                    "parameters": [customer_id],
                    "requestBody": _body(_ref("DeliveredIn")),
                    "responses": {"200": _json(_ref("Purchase")), **ERRORS},
                }
            },
            "/customers": {
                "post": {
                    "summary": "Create or update a customer (an opt-out is never cleared here)",
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
                    "parameters": [customer_id],
                    "responses": {"200": _json(_ref("Customer")), **ERRORS},
                }
            },
            "/customers/{id}/invitations/pending": {
                "delete": {
                    "summary": "Cancel every scheduled invitation",
                    "parameters": [customer_id],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/customers/{id}/unsubscribe": {
                "post": {
                    "summary": "Opt the customer out of all surveys",
                    "parameters": [customer_id],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/customers/{id}/resubscribe": {
                "post": {
                    "summary": "Clear an opt-out: the only way to, with a stated reason (audited)",
                    "parameters": [customer_id],
                    "requestBody": _body(_ref("ResubscribeIn")),
                    "responses": {"200": _json(_ref("Customer")), **ERRORS},
                }
            },
            "/surveys": {
                "get": {"summary": "List surveys", "responses": {"200": _json({"type": "object"}), **ERRORS}},
                "post": {
                    "summary": "Create a survey (?publish=true&activate=true&override_reason=...)",
                    "parameters": schemas.parameters(schemas.SurveyQuery),
                    "requestBody": _body(_ref("SurveyIn")),
                    "responses": {"201": _json(_ref("Survey")), "409": PROBLEM, **ERRORS},
                },
            },
            "/surveys/{id}": {
                "get": {
                    "summary": "A survey and its live version",
                    "parameters": [survey_id],
                    "responses": {"200": _json(_ref("Survey")), **ERRORS},
                }
            },
            "/surveys/{id}/results": {
                "get": {
                    "summary": "Results with intervals, segments, changes and warnings",
                    "parameters": [survey_id, *schemas.parameters(schemas.ResultsQuery)],
                    "responses": {
                        "200": {
                            "description": "Results JSON, or the same figures as one table (format=csv|xlsx)",
                            "content": {
                                "application/json": {"schema": _ref("Results")},
                                **_files("section, metric, segment, period, value, low, high, n, note"),
                            },
                        },
                        **ERRORS,
                    },
                }
            },
            "/responses": {
                "get": {
                    "summary": "Complete responses for export, oldest first, a page at a time",
                    "parameters": schemas.parameters(schemas.ResponsesQuery),
                    "responses": {
                        "200": {
                            "description": "A page of responses, or the whole survey as one file "
                            "(format=csv|xlsx)",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["responses", "next_cursor"],
                                        "properties": {
                                            "responses": {"type": "array", "items": _ref("ExportedResponse")},
                                            "next_cursor": {"type": ["string", "null"]},
                                            "next": {"type": "string"},
                                        },
                                    }
                                },
                                **_files("a row per response: a column per question key, then its themes"),
                            },
                        },
                        **ERRORS,
                    },
                }
            },
            "/comments": {
                "get": {
                    "summary": "Customers' comments with their themes, newest first (contact details masked)",
                    "parameters": schemas.parameters(schemas.CommentsQuery),
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["comments", "next_cursor", "total", "untagged"],
                                "properties": {
                                    "comments": {"type": "array", "items": _ref("Comment")},
                                    "total": {"type": "integer"},
                                    "untagged": {"type": "integer"},
                                    "next_cursor": {"type": ["string", "null"]},
                                    "next": {"type": "string"},
                                },
                            }
                        ),
                        **ERRORS,
                    },
                }
            },
            "/comments/{id}": {
                "get": {
                    "summary": "One comment with its themes",
                    "parameters": [comment_id],
                    "responses": {"200": _json(_ref("Comment")), **ERRORS},
                },
                "patch": {
                    "summary": "Correct a comment's themes; the correction is kept as labelled data",
                    "parameters": [comment_id],
                    "requestBody": _body(_ref("CommentPatch")),
                    "responses": {"200": _json(_ref("Comment")), **ERRORS},
                },
            },
            "/cases": {
                "get": {
                    "summary": "Cases for unhappy customers, the most urgent first",
                    "parameters": schemas.parameters(schemas.CasesQuery),
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["cases", "total", "page", "per_page"],
                                "properties": {
                                    "cases": {"type": "array", "items": _ref("Case")},
                                    "total": {"type": "integer"},
                                    "page": {"type": "integer"},
                                    "per_page": {"type": "integer"},
                                },
                            }
                        ),
                        **ERRORS,
                    },
                }
            },
            "/cases/{id}": {
                "get": {
                    "summary": "One case with its timeline (no contact details)",
                    "parameters": [case_id],
                    "responses": {"200": _json(_ref("Case")), **ERRORS},
                },
                "patch": {
                    "summary": "Work a case: status (closing needs an outcome), owner, a note, first contact",
                    "parameters": [case_id],
                    "requestBody": _body(_ref("CasePatch")),
                    "responses": {"200": _json(_ref("Case")), **ERRORS},
                },
            },
            "/alerts": {
                "get": {
                    "summary": "Alerts: what moved beyond its limits, for which group, with n",
                    "parameters": schemas.parameters(schemas.AlertsQuery),
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["alerts", "total", "page", "per_page"],
                                "properties": {
                                    "alerts": {"type": "array", "items": _ref("Alert")},
                                    "total": {"type": "integer"},
                                    "page": {"type": "integer"},
                                    "per_page": {"type": "integer"},
                                },
                            }
                        ),
                        **ERRORS,
                    },
                }
            },
            "/alerts/{id}": {
                "patch": {
                    "summary": "Acknowledge, resolve or reopen an alert",
                    "parameters": [case_id],
                    "requestBody": _body(_ref("AlertPatch")),
                    "responses": {"200": _json(_ref("Alert")), **ERRORS},
                },
            },
            "/sms/inbound": {
                "post": {
                    "summary": "SMS replies from the gateway; a stop word (STOP, لغو, إلغاء, СТОП) opts out",
                    "security": [{"webhook": []}],
                    "requestBody": _body(_ref("SmsIn")),
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
