"""Stakeholder groups, their members, and which themes each hears about."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import delete, select

from analysis import themes as catalogue
from feedback.extensions import db
from feedback.models import GroupMember, StaffUser, StakeholderGroup, Theme, ThemeRoute
from feedback.services import audit
from feedback.services.errors import NotFound, ValidationFailed

DEFAULT_GROUPS = (
    ("product", "Product (design)", False),
    ("quality", "Quality (production)", False),
    ("sales", "Sales", False),
    ("service", "Service (customer service, logistics, billing)", False),
    ("management", "Management", True),
)
# A complaint on these opens a case whatever the score: a defect, and money taken wrongly.
SEVERE = ("product_defect", "billing")
DEFAULT_ROUTES = {
    "product_defect": ("quality", "product"),
    "packaging": ("quality",),
    "usability": ("product",),
    "feature_request": ("product",),
    "price": ("sales",),
    "delivery": ("service",),
    "staff": ("service",),
    "billing": ("service",),
}


def ensure_defaults() -> None:
    """The default themes, groups and routes, made once; staff's changes are never undone."""
    known = set(db.session.scalars(select(Theme.code)))
    for code in catalogue.THEMES:
        if code not in known:
            db.session.add(
                Theme(
                    code=code,
                    label=catalogue.LABELS[code]["en"],
                    department=catalogue.DEPARTMENT[code],
                    is_default=True,
                    severe=code in SEVERE,
                )
            )
    slugs = {g.slug: g for g in db.session.scalars(select(StakeholderGroup))}
    fresh = []
    for slug, name, everything in DEFAULT_GROUPS:
        if slug not in slugs:
            group = StakeholderGroup(slug=slug, name=name, sees_everything=everything, is_default=True)
            db.session.add(group)
            slugs[slug] = group
            fresh.append(slug)
    db.session.flush()
    for code, targets in DEFAULT_ROUTES.items():
        for slug in targets:
            if slug in fresh:
                db.session.add(ThemeRoute(theme_code=code, group_id=slugs[slug].id))
    db.session.commit()


def theme_codes() -> list[str]:
    return list(db.session.scalars(select(Theme.code).where(Theme.active.is_(True)).order_by(Theme.code)))


def all_groups() -> list[StakeholderGroup]:
    return list(db.session.scalars(select(StakeholderGroup).order_by(StakeholderGroup.id)))


def by_slug(slug: str) -> StakeholderGroup:
    group = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.slug == slug))
    if group is None:
        raise NotFound(gettext("no group %(slug)s", slug=repr(slug)))
    return group


def themes_of(group: StakeholderGroup) -> list[str] | None:
    """The theme codes routed to ``group``; None means every theme (management)."""
    if group.sees_everything:
        return None
    return list(db.session.scalars(select(ThemeRoute.theme_code).where(ThemeRoute.group_id == group.id)))


def routes() -> dict[str, list[str]]:
    """theme code -> slugs of the groups it goes to."""
    out: dict[str, list[str]] = {}
    rows = db.session.execute(
        select(ThemeRoute.theme_code, StakeholderGroup.slug).join(
            StakeholderGroup, StakeholderGroup.id == ThemeRoute.group_id
        )
    )
    for code, slug in rows:
        out.setdefault(code, []).append(slug)
    return out


def set_routes(code: str, slugs: list[str], actor: StaffUser | None = None) -> None:
    if db.session.get(Theme, code) is None:
        raise NotFound(gettext("no theme %(code)s", code=repr(code)))
    groups = {g.slug: g for g in all_groups()}
    unknown = [s for s in slugs if s not in groups]
    if unknown:
        raise ValidationFailed([("groups", gettext("unknown groups: %(slugs)s", slugs=", ".join(unknown)))])
    db.session.execute(delete(ThemeRoute).where(ThemeRoute.theme_code == code))
    for slug in dict.fromkeys(slugs):
        db.session.add(ThemeRoute(theme_code=code, group_id=groups[slug].id))
    audit.record("theme_routes_changed", actor=actor, theme=code, groups=list(slugs))
    db.session.commit()


def groups_of(user: StaffUser) -> list[StakeholderGroup]:
    return list(
        db.session.scalars(
            select(StakeholderGroup)
            .join(GroupMember, GroupMember.group_id == StakeholderGroup.id)
            .where(GroupMember.user_id == user.id)
            .order_by(StakeholderGroup.id)
        )
    )


def add_member(group: StakeholderGroup, user: StaffUser) -> None:
    if db.session.get(GroupMember, (group.id, user.id)) is None:
        db.session.add(GroupMember(group_id=group.id, user_id=user.id))
        db.session.commit()


def members(group: StakeholderGroup) -> list[StaffUser]:
    return list(
        db.session.scalars(
            select(StaffUser)
            .join(GroupMember, GroupMember.user_id == StaffUser.id)
            .where(GroupMember.group_id == group.id)
            .order_by(StaffUser.email)
        )
    )
