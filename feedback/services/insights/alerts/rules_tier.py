"""A severe complaint from a top-tier customer: one alert per response, to the theme's group.

Severity is the cases' own: a complaint on a theme marked severe (``Theme.severe``). The tier
is the one snapshotted on the response (analysis.tiers' pyramid, stored by intake.tiers), so
a customer who has since moved tier is judged as they were when they answered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from analysis.tiers import PYRAMID
from feedback.extensions import db
from feedback.models import Comment, CommentTheme, Theme
from feedback.services.insights.alerts import messages
from feedback.services.insights.alerts.finding import Finding
from feedback.services.insights.alerts.messages import N_

TOP = PYRAMID[0]
RECENT_DAYS = 14  # older complaints are the cases' to follow; an alert is for acting now
MESSAGE = N_(
    "A top-tier customer in %(segment)s made a severe %(theme)s complaint on %(day)s (score %(score)s); "
    "their case needs attention today."
)


def findings(routes: dict, by_slug: dict, now: datetime) -> list[Finding]:
    rows = db.session.execute(
        select(
            Comment.response_id,
            Comment.survey_id,
            Comment.region,
            Comment.score,
            Comment.submitted_at,
            CommentTheme.code,
        )
        .join(CommentTheme, CommentTheme.comment_id == Comment.id)
        .join(Theme, Theme.code == CommentTheme.code)
        .where(
            Comment.tier == TOP,
            CommentTheme.polarity == "complaint",
            Theme.severe.is_(True),
            Comment.submitted_at >= now - timedelta(days=RECENT_DAYS),
            Comment.submitted_at <= now,
        )
        .order_by(Comment.response_id, CommentTheme.code)
    ).all()
    out, seen = [], set()
    for response_id, survey_id, region, score, at, code in rows:
        owners = [by_slug[s] for s in routes.get(code, []) if s in by_slug]
        if response_id in seen or not owners:
            continue
        seen.add(response_id)
        group = owners[0]
        out.append(
            Finding(
                key=f"top_tier_severe:{group.slug}:response={response_id}",
                kind="top_tier_severe",
                group_id=group.id,
                survey_id=survey_id,
                segment=f"tier={TOP}",
                metric=code,
                period=at.strftime("%Y-%m-%d"),
                direction="",
                value=None,
                baseline=None,
                threshold=None,
                n=1,
                template=MESSAGE,
                params={
                    "segment": region or "—",
                    "theme": messages.theme(code, capital=False),
                    "day": at.strftime("%Y-%m-%d"),
                    "score": "—" if score is None else f"{score:.0f}",
                },
            )
        )
    return out
