"""The demo's staff: one account per role and one member per stakeholder group, on the demo password."""

from __future__ import annotations

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import StaffUser
from feedback.services import accounts
from feedback.services.insights import groups

DEMO_PASSWORD = "candor-demo"  # noqa: S105 -- printed to the developer; demo instances only
DEMO_USERS = (
    ("admin@candor.example", "admin", "Ada Admin"),
    ("designer@candor.example", "designer", "Dina Designer"),
    ("analyst@candor.example", "analyst", "Arash Analyst"),
    ("agent@candor.example", "agent", "Olga Agent"),
)
# One member for each stakeholder group, named after it; service follows up, so it is an agent.
GROUP_USERS = (
    ("product@candor.example", "analyst", "Pedram Product", "product"),
    ("quality@candor.example", "analyst", "Qamar Quality", "quality"),
    ("sales@candor.example", "analyst", "Sasha Sales", "sales"),
    ("service@candor.example", "agent", "Soraya Service", "service"),
    ("management@candor.example", "analyst", "Mina Management", "management"),
)


def users() -> list[tuple[str, str]]:
    existing = set(db.session.scalars(select(StaffUser.email)))
    everyone = [*DEMO_USERS, *((e, r, n) for e, r, n, _ in GROUP_USERS)]
    for email, role, name in everyone:
        if email not in existing:
            accounts.create_user(email, role, DEMO_PASSWORD, name)
    return [(email, role) for email, role, _ in everyone]


def join_groups() -> None:
    groups.ensure_defaults()
    for email, _role, _name, slug in GROUP_USERS:
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        groups.add_member(groups.by_slug(slug), user)
