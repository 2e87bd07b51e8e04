"""The response bodies the OpenAPI document describes (request bodies come from ``schemas``)."""

from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


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
                    "not_sending",
                ]
            },
            "send_at": {"type": "string", "format": "date-time"},
            "channel": {"enum": ["email", "sms"]},
            "reason": {
                "enum": [
                    "opted_out",
                    "filtered",
                    "stale",
                    "no_contact",
                    "sampled_out",
                    "fatigue",
                    "sending_off",
                    "sending_off_at_purchase",
                    "cancelled",
                ]
            },
            "error": {"type": "string", "description": "why a failed message could not be sent"},
        },
    },
    "Purchase": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "customer": {"type": "string"},
            "purchased_at": {"type": "string"},
            "invitations": {"type": "array", "items": ref("Invitation")},
        },
    },
    "Survey": {"type": "object", "description": "The survey JSON format (docs/survey-format.md)."},
    "Case": {
        "type": "object",
        "required": ["id", "response", "survey", "status", "priority", "due_at", "first_contact_due_at"],
        "properties": {
            "id": {"type": "integer"},
            "response": {"type": "integer"},
            "survey": {"type": "integer"},
            "group": {"type": ["string", "null"]},
            "owner": {"type": ["integer", "null"]},
            "reason": {"enum": ["detractor", "severe_theme", "contact_request", "promoter_thanks"]},
            "themes": {"type": "array", "items": {"type": "string"}},
            "score": {"type": ["number", "null"]},
            "priority": {"enum": ["high", "normal", "low"]},
            "status": {"enum": ["open", "in_progress", "waiting", "closed"]},
            "outcome": {"enum": ["resolved", "unresolved", "no_contact", None]},
            "customer_says": {
                "enum": ["yes", "partly", "no", None],
                "description": "The customer's answer to the follow-up question after a resolved close",
            },
            "overdue": {"type": "boolean"},
            "escalation_level": {"type": "integer"},
            "opened_at": {"type": "string", "format": "date-time"},
            "first_contact_due_at": {"type": "string", "format": "date-time"},
            "first_contact_at": {"type": ["string", "null"], "format": "date-time"},
            "due_at": {"type": "string", "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "timeline": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Alert": {
        "type": "object",
        "required": ["id", "kind", "metric", "message", "status", "count", "opened_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"enum": ["theme_share", "score", "gaming", "simpson", "silence"]},
            "group": {"type": ["string", "null"]},
            "segment": {"type": "string"},
            "metric": {"type": "string"},
            "period": {"type": "string"},
            "message": {"type": "string"},
            "value": {"type": ["number", "null"]},
            "baseline": {"type": ["number", "null"]},
            "limit": {"type": ["number", "null"]},
            "n": {"type": "integer"},
            "opened_at": {"type": "string", "format": "date-time"},
            "last_seen_at": {"type": "string", "format": "date-time"},
            "status": {"enum": ["open", "acknowledged", "resolved"]},
            "count": {"type": "integer"},
        },
    },
    "Comment": {
        "type": "object",
        "required": ["id", "text", "survey", "themes", "submitted_at"],
        "properties": {
            "id": {"type": "integer"},
            "text": {"type": "string", "description": "e-mail addresses and phone numbers masked"},
            "score": {"type": ["number", "null"]},
            "band": {"enum": ["detractor", "passive", "promoter", None]},
            "survey": {"type": "integer"},
            "language": {"type": ["string", "null"]},
            "submitted_at": {"type": "string", "format": "date-time"},
            "segments": {"type": "object"},
            "themes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "polarity": {"enum": ["complaint", "praise", "neutral"]},
                        "source": {"enum": ["rule", "model", "staff"]},
                        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                },
            },
        },
    },
    "Results": {
        "type": "object",
        "description": "Results JSON (see DESIGN.md): metrics with intervals, "
        "segments, changes and warnings.",
    },
}
