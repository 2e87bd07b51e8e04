"""A survey with customers' comments written straight to the tables, then collected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from tests.respond.helpers import publish, two_page_survey

WHEN = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@dataclass
class Said:
    score: int
    text: str
    locale: str = "en"
    tier: str = "regular"
    region: str = "north"
    at: datetime = WHEN
    email: str | None = None


def seed(app, said: list[Said], *, key: str = "voice") -> int:
    """A published survey with one complete response per ``said``, and its comments collected."""
    survey_id = publish(app, two_page_survey(key))
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Answer, Customer, Question, Response, SurveyVersion
        from feedback.services.insights import collect

        version = db.session.scalar(select(SurveyVersion).where(SurveyVersion.survey_id == survey_id))
        questions = {
            q.key: q for q in db.session.scalars(select(Question).where(Question.version_id == version.id))
        }
        for i, s in enumerate(said):
            customer = Customer(
                external_id=f"{key}-{i}", email=s.email or f"c{i}@example.com", locale=s.locale
            )
            db.session.add(customer)
            db.session.flush()
            response = Response(
                survey_id=survey_id,
                version_id=version.id,
                customer_id=customer.id,
                locale=s.locale,
                status="complete",
                submitted_at=s.at,
                tier=s.tier,
                region=s.region,
                sales_channel="web",
            )
            response.answers = [
                Answer(question_id=questions["nps"].id, number=float(s.score)),
                Answer(question_id=questions["reason"].id, text=s.text),
            ]
            db.session.add(response)
        db.session.commit()
        collect.collect()
    return survey_id
