"""A dispatch rule said in one sentence, and what it does beside the other sending surveys."""

from __future__ import annotations

from flask_babel import format_decimal, gettext, ngettext

import surveys
from feedback.web.staff.builder_forms import LOCALE_NAMES


def when(rule: surveys.DispatchRule) -> str:
    hours = rule.delay_hours
    event = gettext("purchase") if rule.trigger == "purchase" else gettext("delivery")
    if hours == 0:
        return gettext("Right after %(event)s", event=event)
    if hours >= 24 and hours % 24 == 0:
        days = int(hours // 24)
        return ngettext("%(num)s day after %(event)s", "%(num)s days after %(event)s", days, event=event)
    return ngettext(
        "%(num)s hour after %(event)s",
        "%(num)s hours after %(event)s",
        int(hours) if float(hours).is_integer() else 2,
        num=format_decimal(hours),
        event=event,
    )


def channels(rule: surveys.DispatchRule) -> str:
    names = {"email": gettext("e-mail"), "sms": gettext("SMS")}
    if len(rule.channels) == 2:
        return gettext(
            "by %(first)s, then %(second)s", first=names[rule.channels[0]], second=names[rule.channels[1]]
        )
    return gettext(
        "by %(channel)s", channel=names.get(rule.channels[0], rule.channels[0]) if rule.channels else "?"
    )


def fatigue(rule: surveys.DispatchRule) -> str:
    if rule.fatigue_days == 0:
        return gettext("no limit on how often one customer is surveyed")
    return ngettext(
        "at most one survey per customer every day",
        "at most one survey per customer every %(num)s days",
        rule.fatigue_days,
    )


def sentence(rule: surveys.DispatchRule) -> str:
    """'3 days after delivery, by e-mail, then SMS; at most one survey per customer every 30 days.'"""
    return gettext(
        "%(when)s, %(channels)s; %(fatigue)s.",
        when=when(rule),
        channels=channels(rule),
        fatigue=fatigue(rule),
    )


def details(rule: surveys.DispatchRule) -> list[str]:
    """The rest of the rule, one plain line each."""
    out = []
    if rule.sampling < 1:
        out.append(
            gettext(
                "A random %(share)s%% of purchases are invited; the draw is recorded.",
                share=format_decimal(round(rule.sampling * 100, 2)),
            )
        )
    if rule.quiet_hours:
        out.append(
            gettext(
                "Nothing is sent between %(start)s and %(end)s in the customer's time zone.",
                start=rule.quiet_hours[0],
                end=rule.quiet_hours[1],
            )
        )
    out.append(
        ngettext(
            "At most %(num)s message a minute.", "At most %(num)s messages a minute.", rule.rate_per_minute
        )
    )
    if rule.reminder_after_days:
        out.append(
            ngettext(
                "One reminder after %(num)s day.",
                "One reminder after %(num)s days.",
                rule.reminder_after_days,
            )
        )
    else:
        out.append(gettext("No reminder."))
    out.append(
        ngettext(
            "The link stops working after %(num)s day.",
            "The link stops working after %(num)s days.",
            rule.expires_after_days,
        )
    )
    out += _filters(rule.filters)
    return out


def _filters(filters) -> list[str]:
    out = []
    if filters.get("channel"):
        out.append(gettext("Only purchases made %(what)s.", what=_join(filters["channel"])))
    if filters.get("category"):
        out.append(gettext("Only purchases in %(what)s.", what=_join(filters["category"])))
    if (filters.get("properties") or {}).get("store"):
        out.append(gettext("Only purchases at store %(what)s.", what=_join(filters["properties"]["store"])))
    if filters.get("locale"):
        codes = filters["locale"] if isinstance(filters["locale"], list) else [filters["locale"]]
        names = [str(LOCALE_NAMES.get(code, code)) for code in codes]
        out.append(gettext("Only customers whose language is %(what)s.", what=_join(names)))
    if filters.get("min_amount") is not None:
        out.append(
            gettext("Only purchases of at least %(amount)s.", amount=format_decimal(filters["min_amount"]))
        )
    if filters.get("max_amount") is not None:
        out.append(
            gettext("Only purchases of at most %(amount)s.", amount=format_decimal(filters["max_amount"]))
        )
    return out


def _join(values) -> str:
    return ", ".join(str(v) for v in (values if isinstance(values, list) else [values]))


def precedence(survey_id: int, rule: surveys.DispatchRule, others: list[tuple[str, int, int]]) -> list[str]:
    """What fatigue does when a purchase matches this survey and other sending ones.

    ``others`` holds (name, priority, survey id) of the other surveys that send now.
    """
    if not others or rule.fatigue_days == 0:
        return []
    out = []
    for name, priority, other_id in others:
        first = priority > rule.priority or (priority == rule.priority and other_id < survey_id)
        if first:
            out.append(
                gettext(
                    "When a purchase also matches “%(name)s” (priority %(priority)s), that survey "
                    "is scheduled first and fatigue suppresses this one.",
                    name=name,
                    priority=priority,
                )
            )
        else:
            out.append(
                gettext(
                    "When a purchase also matches “%(name)s” (priority %(priority)s), this survey "
                    "is scheduled first and fatigue suppresses that one.",
                    name=name,
                    priority=priority,
                )
            )
    return out
