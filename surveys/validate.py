"""Structural rules every survey must satisfy; each problem comes with a path."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from surveys.messages import _
from surveys.model import CHOICE_TYPES, SCALE_TYPES, QuestionType, Role, SurveyError

if TYPE_CHECKING:
    from surveys.model import DispatchRule, Question, Survey, Text

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ROLE_TYPES = {Role.NPS: QuestionType.NPS, Role.CSAT: QuestionType.CSAT, Role.CES: QuestionType.CES}
SCALE_POINTS = {
    QuestionType.NPS: {(0, 10)},
    QuestionType.CSAT: {(1, 5), (1, 7)},
    QuestionType.CES: {(1, 5), (1, 7)},
    QuestionType.LIKERT: {(1, 5), (1, 7)},
}

Problems = list[tuple[str, str]]


def checked(survey: Survey, *, complete: bool = False) -> Survey:
    """``survey`` itself if it keeps the rules, else SurveyError listing every problem.

    ``complete=False`` (the default) holds a draft to the rules no draft may break.
    """
    problems = survey_problems(survey, complete=complete)
    if problems:
        raise SurveyError(problems)
    return survey


def survey_problems(survey: Survey, *, complete: bool = True) -> Problems:
    """Every rule the survey breaks. ``complete=False`` skips what a draft may still lack
    (translations, options, questions), keeping only the rules no draft may break."""
    out: Problems = []
    if not KEY_RE.match(survey.key):
        out.append(("key", _("use 1-64 lowercase letters, digits, '-' or '_'")))
    if not survey.name.strip():
        out.append(("name", _("must not be empty")))
    if not survey.locales:
        out.append(("locales", _("declare at least one locale")))
    for loc in survey.locales:
        if not LOCALE_RE.match(loc):
            out.append(("locales", _("%(locale)s is not a locale code like 'en' or 'fa'", locale=repr(loc))))
    if len(set(survey.locales)) != len(survey.locales):
        out.append(("locales", _("a locale is listed twice")))
    if survey.default_locale not in survey.locales:
        out.append(
            (
                "default_locale",
                _("%(locale)s is not one of the survey's locales", locale=repr(survey.default_locale)),
            )
        )
    if complete and not survey.questions:
        out.append(("questions", _("a survey needs at least one question")))
    for name in ("intro", "thanks"):
        text = getattr(survey, name)
        if text is not None and complete:
            out += _text_problems(name, text, survey.locales)
    seen: dict[str, Question] = {}
    for i, q in enumerate(survey.questions):
        problems = _question_problems(q, survey.locales, seen, complete)
        out += [(f"questions[{i}].{p}", m) for p, m in problems]
        seen[q.key] = q
    if survey.dispatch is not None:
        out += [(f"dispatch.{p}", m) for p, m in dispatch_problems(survey.dispatch)]
    return out


def _text_problems(path: str, text: Text, locales: tuple[str, ...]) -> Problems:
    out: Problems = []
    for loc in locales:
        value = text.variants.get(loc)
        if value is None or not value.strip():
            out.append((f"{path}.{loc}", _("missing translation")))
    return out


def _question_problems(
    q: Question, locales: tuple[str, ...], earlier: dict[str, Question], complete: bool
) -> Problems:
    out: Problems = []
    if not KEY_RE.match(q.key):
        out.append(("key", _("use 1-64 lowercase letters, digits, '-' or '_'")))
    if q.key in earlier:
        out.append(("key", _("duplicate question key %(key)s", key=repr(q.key))))
    if complete:
        for path, text in q.texts():
            out += _text_problems(path, text, locales)
    if q.page < 1:
        out.append(("page", _("pages are numbered from 1")))
    expected = ROLE_TYPES.get(q.role)
    if expected and q.type != expected:
        out.append(
            (
                "role",
                _(
                    "role %(role)s needs a question of type %(type)s",
                    role=repr(q.role.value),
                    type=repr(expected.value),
                ),
            )
        )
    if q.role == Role.DRIVER and (q.type not in SCALE_TYPES or not q.attribute):
        out.append(("role", _("a driver question is a rating scale with an 'attribute' name")))
    if q.type in SCALE_TYPES:
        out += _scale_problems(q)
    elif q.scale is not None:
        out.append(("scale", _("a %(type)s question has no scale", type=q.type.value)))
    if q.type in CHOICE_TYPES:
        keys = [o.key for o in q.options]
        if complete and len(keys) < 2:
            out.append(("options", _("a choice question needs at least two options")))
        if len(set(keys)) != len(keys):
            out.append(("options", _("option keys must be unique")))
        out += [("options", f"option key {k!r} is not a valid key") for k in keys if not KEY_RE.match(k)]
    elif q.options or q.allow_other or q.randomize:
        out.append(("options", _("a %(type)s question has no options", type=q.type.value)))
    if q.dont_know and q.type == QuestionType.OPEN_TEXT:
        out.append(("dont_know", _("an open question has no 'don't know' option")))
    if q.type == QuestionType.OPEN_TEXT and not 1 <= q.max_length <= 10000:
        out.append(("max_length", _("must be between 1 and 10000 characters")))
    conditions = ([("show_if", q.show_if)] if q.show_if else []) + [
        (f"variants[{i}].when", v.when) for i, v in enumerate(q.variants)
    ]
    for path, cond in conditions:
        source = earlier.get(cond.question)
        if source is None:
            out.append(
                (path, _("refers to %(key)s, which is not an earlier question", key=repr(cond.question)))
            )
        elif source.type not in SCALE_TYPES:
            out.append((path, _("%(key)s is not a rating question", key=repr(cond.question))))
        elif source.page >= q.page:
            out.append(
                (
                    path,
                    _("%(key)s must be on an earlier page, so the answer is known", key=repr(cond.question)),
                )
            )
    return out


def _scale_problems(q: Question) -> Problems:
    s = q.scale
    if s is None:
        return [("scale", f"a {q.type.value} question needs a scale")]
    out: Problems = []
    if (s.min, s.max) not in SCALE_POINTS[q.type]:
        allowed = ", ".join(f"{a}-{b}" for a, b in sorted(SCALE_POINTS[q.type]))
        out.append(
            (
                "scale",
                _(
                    "a %(type)s scale runs %(allowed)s, not %(low)s-%(high)s",
                    type=q.type.value,
                    allowed=allowed,
                    low=s.min,
                    high=s.max,
                ),
            )
        )
    if s.labels and len(s.labels) != s.max - s.min + 1:
        out.append(("scale.labels", _("label every point or none")))
    if not s.labels and not (s.min_label and s.max_label):
        out.append(("scale", _("label both ends of the scale")))
    return out


FILTER_LISTS = ("channel", "category", "locale")
FILTER_AMOUNTS = ("min_amount", "max_amount")
MAX_PRIORITY = 100
MAX_DAYS = 3650
MAX_RATE = 1_000_000


def dispatch_problems(d: DispatchRule) -> Problems:
    """Every rule a dispatch setting breaks, by setting name (the API and the staff editor share it)."""
    out: Problems = []
    if d.trigger not in ("purchase", "delivery"):
        out.append(("trigger", _("must be 'purchase' or 'delivery'")))
    if not 0 <= d.delay_hours <= 24 * 365:
        out.append(("delay_hours", _("must be between 0 and 8760")))
    if not d.channels or any(c not in ("email", "sms") for c in d.channels):
        out.append(("channels", _("use 'email', 'sms' or both, in order of preference")))
    elif len(set(d.channels)) != len(d.channels):
        out.append(("channels", _("a channel is listed twice")))
    if not 0 < d.sampling <= 1:
        out.append(("sampling", _("must be a fraction above 0 and at most 1")))
    if not 0 <= d.fatigue_days <= MAX_DAYS:
        out.append(("fatigue_days", _("must be between 0 and %(most)s", most=MAX_DAYS)))
    if d.quiet_hours is not None and not all(TIME_RE.match(t) for t in d.quiet_hours):
        out.append(("quiet_hours", _("give two times as HH:MM, e.g. ['21:00', '09:00']")))
    if not 1 <= d.rate_per_minute <= MAX_RATE:
        out.append(("rate_per_minute", _("must be between 1 and %(most)s", most=f"{MAX_RATE:,}")))
    if not 1 <= d.expires_after_days <= MAX_DAYS:
        out.append(("expires_after_days", _("must be between 1 and %(most)s", most=MAX_DAYS)))
    if d.reminder_after_days is not None and not 1 <= d.reminder_after_days < d.expires_after_days:
        out.append(("reminder_after_days", _("must be at least 1 and before the survey expires")))
    if not 0 <= d.priority <= MAX_PRIORITY:
        out.append(("priority", _("must be between 0 and %(most)s", most=MAX_PRIORITY)))
    return out + _filter_problems(d.filters)


def _filter_problems(filters) -> Problems:
    out: Problems = []
    for key, value in filters.items():
        path = f"filters.{key}"
        if key in FILTER_LISTS:
            if not _strings(value):
                out.append((path, _('give a list of values, e.g. ["online", "store"]')))
        elif key in FILTER_AMOUNTS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 10**12:
                out.append((path, _("must be an amount of 0 or more")))
        elif key == "properties":
            if not isinstance(value, dict) or not all(_strings(v) for v in value.values()):
                out.append((path, _("map each purchase property to a list of values")))
        else:
            known = ", ".join((*FILTER_LISTS, *FILTER_AMOUNTS, "properties"))
            out.append((path, _("unknown filter; use %(known)s", known=known)))
    low, high = filters.get("min_amount"), filters.get("max_amount")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
        out.append(("filters.max_amount", _("must not be below min_amount")))
    return out


def _strings(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(isinstance(v, str) and v.strip() and len(v) <= 128 for v in values)
