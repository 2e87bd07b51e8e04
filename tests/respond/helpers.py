"""Invitations with known link tokens, for the respondent tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from surveys import DispatchRule, serialize
from surveys.templates import transactional_nps

NOW = datetime.now(UTC).replace(microsecond=0)
RULE = DispatchRule(delay_hours=0, channels=("email",), quiet_hours=None, expires_after_days=14)


def two_page_survey(key: str = "two-page") -> dict:
    """NPS and a reason on page 1, a choice and a comment on page 2 (shown to detractors only)."""
    return {
        "key": key,
        "name": "Two pages",
        "locales": ["en", "fa"],
        "default_locale": "en",
        "thanks": {"en": "Thanks a lot.", "fa": "سپاس فراوان."},
        "questions": [
            {
                "key": "nps",
                "type": "nps",
                "role": "nps",
                "required": True,
                "text": {
                    "en": "How likely are you to recommend us to a friend or colleague?",
                    "fa": "چقدر احتمال دارد ما را به یک دوست یا همکار توصیه کنید؟",
                },
            },
            {
                "key": "reason",
                "type": "open_text",
                "role": "reason",
                "required": False,
                "text": {"en": "What is the main reason for your score?", "fa": "دلیل اصلی امتیاز شما چیست؟"},
            },
            {
                "key": "area",
                "type": "single_choice",
                "page": 2,
                "text": {"en": "Which part of your order was it about?", "fa": "درباره کدام بخش سفارش بود؟"},
                "options": [
                    {"key": "delivery", "label": {"en": "Delivery", "fa": "ارسال"}},
                    {"key": "product", "label": {"en": "The product", "fa": "محصول"}},
                ],
                "allow_other": True,
            },
            {
                "key": "detail",
                "type": "open_text",
                "page": 2,
                "required": False,
                "show_if": {"question": "nps", "max": 6},
                "text": {"en": "What should we change first?", "fa": "اول چه چیزی را باید تغییر دهیم؟"},
            },
        ],
    }


def publish(app, spec=None, *, open_link: bool = False, review_url: str | None = None) -> int:
    spec = spec if spec is not None else transactional_nps(("en", "fa"))
    if isinstance(spec, dict):
        spec = serialize.from_dict(spec)
    spec = replace(spec, dispatch=RULE)
    with app.app_context():
        from feedback.extensions import db
        from feedback.services.design import designing

        survey = designing.create_published(spec, activate=True)
        survey.open_link_enabled = open_link
        survey.review_prompt_url = review_url
        db.session.commit()
        return survey.id


def invite(app, survey_id: int, customer: str = "c1", *, locale: str = "en", order: str | None = None) -> str:
    """Record a purchase that invites ``customer``, and return the invitation's link token."""
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation
        from feedback.services import tokens
        from feedback.services.intake import ingest

        body = {
            "id": order or f"order-{customer}-{survey_id}",
            "purchased_at": (NOW - timedelta(hours=1)).isoformat(),
            "amount": "10.00",
            "currency": "EUR",
            "channel": "web",
            "customer": {"id": customer, "email": f"{customer}@example.com", "locale": locale},
            "items": [{"sku": "K1", "name": "Kettle", "category": "home"}],
        }
        result = ingest.record_purchase(ingest.read_purchase(body))
        invitation = db.session.scalar(
            select(Invitation).where(
                Invitation.purchase_id == result.purchase.id, Invitation.survey_id == survey_id
            )
        )
        assert invitation is not None and invitation.status == "scheduled", invitation
        invitation.status = "sent"
        invitation.sent_at = NOW
        db.session.commit()
        return tokens.link_token(invitation.token_nonce)


def responses(app, **where) -> list:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Response

        query = select(Response).order_by(Response.id)
        for key, value in where.items():
            query = query.where(getattr(Response, key) == value)
        return list(db.session.scalars(query))


def answers(app, response_id: int) -> dict:
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Answer, Question

        rows = db.session.execute(
            select(Question.key, Answer.number, Answer.text, Answer.choices)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id == response_id)
        )
        return {
            key: number if number is not None else (choices or text) for key, number, text, choices in rows
        }


def count(app, model) -> int:
    with app.app_context():
        from feedback.extensions import db

        return db.session.scalar(select(func.count()).select_from(model))


def one_page_survey(key: str = "one-page") -> dict:
    """The NPS question and its reason on one page."""
    spec = two_page_survey(key)
    spec["name"] = "One page"
    spec["questions"] = spec["questions"][:2]
    return spec
