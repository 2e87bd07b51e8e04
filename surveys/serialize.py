"""The survey JSON format (docs/survey-format.md): export and import that round-trip."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from surveys.messages import _
from surveys.model import (
    Condition,
    DispatchRule,
    Option,
    Question,
    QuestionType,
    Role,
    Scale,
    Survey,
    SurveyError,
    Text,
    TextVariant,
)
from surveys.standard import default_scale
from surveys.validate import checked, dispatch_problems

FORMAT = "candor-survey/1"
_DEFAULT_RULE = DispatchRule()


def to_dict(survey: Survey) -> dict[str, Any]:
    """Canonical JSON-ready form; fields equal to their default are left out."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "key": survey.key,
        "name": survey.name,
        "default_locale": survey.default_locale,
        "locales": list(survey.locales),
    }
    if survey.intro:
        out["intro"] = _text_out(survey.intro)
    if survey.thanks:
        out["thanks"] = _text_out(survey.thanks)
    out["questions"] = [_question_out(q) for q in survey.questions]
    if survey.dispatch is not None:
        out["dispatch"] = dispatch_to_dict(survey.dispatch)
    return out


def dumps(survey: Survey) -> str:
    return json.dumps(to_dict(survey), ensure_ascii=False, indent=2)


def loads(data: str, *, complete: bool = True) -> Survey:
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SurveyError(
            [("$", _("not valid JSON: %(why)s at line %(line)s", why=exc.msg, line=exc.lineno))]
        ) from exc
    return from_dict(parsed, complete=complete)


def from_dict(data: Any, *, complete: bool = True) -> Survey:
    """Build a Survey, or raise SurveyError listing every problem with its path.

    ``complete=False`` accepts a draft that still lacks translations or options.
    """
    return checked(_from_dict(data), complete=complete)


def _from_dict(data: Any) -> Survey:
    r = _Reader()
    if not isinstance(data, Mapping):
        raise SurveyError([("$", _("a survey is a JSON object"))])
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        r.fail(
            "format",
            _("unknown format %(format)s; expected %(expected)s", format=repr(fmt), expected=repr(FORMAT)),
        )
    locales = tuple(r.str_list(data, "locales", required=True))
    questions_raw = r.get(data, "questions", list, required=True) or []
    questions = []
    for i, raw in enumerate(questions_raw):
        q = r.nested(f"questions[{i}]", raw, lambda rr, d: _question_in(rr, d, locales))
        if q is not None:
            questions.append(q)
    dispatch = None
    if data.get("dispatch") is not None:
        dispatch = r.nested("dispatch", data["dispatch"], _dispatch_in)
    intro = r.text(data, "intro")
    thanks = r.text(data, "thanks")
    key = r.get(data, "key", str, required=True)
    name = r.get(data, "name", str, required=True)
    default_locale = r.get(data, "default_locale", str) or (locales[0] if locales else "en")
    r.raise_if_failed()
    return Survey(
        key=key,
        name=name,
        locales=locales,
        questions=tuple(questions),
        default_locale=default_locale,
        intro=intro,
        thanks=thanks,
        dispatch=dispatch,
    )


def _text_out(text: Text) -> dict[str, str]:
    return dict(text.variants)


def _condition_out(c: Condition) -> dict[str, Any]:
    out: dict[str, Any] = {"question": c.question}
    if c.min is not None:
        out["min"] = c.min
    if c.max is not None:
        out["max"] = c.max
    return out


def _question_out(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"key": q.key, "type": q.type.value}
    if q.role != Role.OTHER:
        out["role"] = q.role.value
    if q.attribute:
        out["attribute"] = q.attribute
    if q.required:
        out["required"] = True
    if q.page != 1:
        out["page"] = q.page
    out["text"] = _text_out(q.text)
    if q.scale is not None:
        s: dict[str, Any] = {"min": q.scale.min, "max": q.scale.max}
        if q.scale.min_label:
            s["min_label"] = _text_out(q.scale.min_label)
        if q.scale.max_label:
            s["max_label"] = _text_out(q.scale.max_label)
        if q.scale.labels:
            s["labels"] = [_text_out(t) for t in q.scale.labels]
        out["scale"] = s
    if q.options:
        out["options"] = [{"key": o.key, "label": _text_out(o.label)} for o in q.options]
    for flag in ("allow_other", "dont_know", "randomize"):
        if getattr(q, flag):
            out[flag] = True
    if q.type == QuestionType.OPEN_TEXT and q.max_length != 2000:
        out["max_length"] = q.max_length
    if q.show_if:
        out["show_if"] = _condition_out(q.show_if)
    if q.variants:
        out["variants"] = [{"when": _condition_out(v.when), "text": _text_out(v.text)} for v in q.variants]
    return out


def dispatch_to_dict(d: DispatchRule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in (
        "trigger",
        "delay_hours",
        "channels",
        "sampling",
        "fatigue_days",
        "quiet_hours",
        "rate_per_minute",
        "reminder_after_days",
        "expires_after_days",
        "filters",
        "priority",
    ):
        value = getattr(d, name)
        if name in ("channels", "quiet_hours") and value is not None:
            value = list(value)
        if name == "filters":
            value = dict(value)
        out[name] = value
    return out


class _Reader:
    """Reads loosely typed JSON, collecting every problem instead of stopping at the first."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((f"{self.prefix}{path}", message))

    def raise_if_failed(self) -> None:
        if self.problems:
            raise SurveyError(self.problems)

    def get(self, data: Mapping, key: str, kind: type | tuple, *, required: bool = False, default=None):
        if key not in data or data[key] is None:
            if required:
                self.fail(key, _("is required"))
            return default
        value = data[key]
        bad_bool = isinstance(value, bool) and kind in (int, float, (int, float))
        if not isinstance(value, kind) or bad_bool:
            names = {
                str: "a string",
                int: "a whole number",
                float: "a number",
                bool: "true or false",
                list: "a list",
                dict: "an object",
                (int, float): "a number",
            }
            self.fail(key, _("must be %(kind)s", kind=names.get(kind, str(kind))))
            return default
        return value

    def str_list(self, data: Mapping, key: str, *, required: bool = False) -> list[str]:
        items = self.get(data, key, list, required=required) or []
        if not all(isinstance(x, str) for x in items):
            self.fail(key, _("must be a list of strings"))
            return []
        return items

    def text(self, data: Mapping, key: str, *, required: bool = False) -> Text | None:
        raw = self.get(data, key, dict, required=required)
        if raw is None:
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            self.fail(key, _("must map locale codes to strings"))
            return None
        return Text(raw)

    def nested(self, path: str, data: Any, build):
        if not isinstance(data, Mapping):
            self.fail(path, _("must be an object"))
            return None
        sub = _Reader(f"{self.prefix}{path}.")
        try:
            result = build(sub, data)
        except SurveyError as exc:
            self.problems += [(f"{self.prefix}{path}.{p}", m) for p, m in exc.problems]
            return None
        self.problems += sub.problems
        return None if sub.problems else result

    def condition(self, data: Mapping, key: str) -> Condition | None:
        raw = self.get(data, key, dict)
        if raw is None:
            return None
        sub = _Reader()
        question = sub.get(raw, "question", str, required=True)
        low = sub.get(raw, "min", (int, float))
        high = sub.get(raw, "max", (int, float))
        self.problems += [(f"{self.prefix}{key}.{p}", m) for p, m in sub.problems]
        return None if sub.problems else Condition(question, low, high)


def _question_in(r: _Reader, d: Mapping, locales: tuple[str, ...]) -> Question | None:
    type_name = r.get(d, "type", str, required=True)
    try:
        qtype = QuestionType(type_name) if type_name else None
    except ValueError:
        r.fail(
            "type",
            _(
                "unknown type %(type)s; use one of %(known)s",
                type=repr(type_name),
                known=", ".join(t.value for t in QuestionType),
            ),
        )
        qtype = None
    role_name = r.get(d, "role", str, default=None)
    role = Role.OTHER
    if role_name is None and qtype in (QuestionType.NPS, QuestionType.CSAT, QuestionType.CES):
        role = Role(qtype.value)
    elif role_name is not None:
        try:
            role = Role(role_name)
        except ValueError:
            r.fail(
                "role",
                _(
                    "unknown role %(role)s; use one of %(known)s",
                    role=repr(role_name),
                    known=", ".join(x.value for x in Role),
                ),
            )
    text = r.text(d, "text", required=True)
    scale = _scale_in(r, d) if "scale" in d else None
    if scale is None and "scale" not in d and qtype is not None:
        scale = default_scale(qtype.value, locales)
    options = []
    for i, raw in enumerate(r.get(d, "options", list, default=[]) or []):
        opt = r.nested(f"options[{i}]", raw, _option_in)
        if opt is not None:
            options.append(opt)
    variants = []
    for i, raw in enumerate(r.get(d, "variants", list, default=[]) or []):
        var = r.nested(f"variants[{i}]", raw, _variant_in)
        if var is not None:
            variants.append(var)
    values = {
        "required": r.get(d, "required", bool, default=False),
        "allow_other": r.get(d, "allow_other", bool, default=False),
        "dont_know": r.get(d, "dont_know", bool, default=False),
        "randomize": r.get(d, "randomize", bool, default=False),
        "attribute": r.get(d, "attribute", str),
        "page": r.get(d, "page", int, default=1),
        "max_length": r.get(d, "max_length", int, default=2000),
        "show_if": r.condition(d, "show_if"),
    }
    key = r.get(d, "key", str, required=True)
    if r.problems or qtype is None or text is None:
        return None
    return Question(
        key=key,
        type=qtype,
        text=text,
        role=role,
        scale=scale,
        options=tuple(options),
        variants=tuple(variants),
        **values,
    )


def _scale_in(r: _Reader, d: Mapping) -> Scale | None:
    raw = r.get(d, "scale", dict)
    if raw is None:
        return None
    sub = _Reader("scale.")
    low = sub.get(raw, "min", int, required=True)
    high = sub.get(raw, "max", int, required=True)
    labels = []
    for i, item in enumerate(sub.get(raw, "labels", list, default=[]) or []):
        if isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
            labels.append(Text(item))
        else:
            sub.fail(f"labels[{i}]", _("must map locale codes to strings"))
    min_label, max_label = sub.text(raw, "min_label"), sub.text(raw, "max_label")
    r.problems += sub.problems
    if sub.problems:
        return None
    return Scale(low, high, min_label, max_label, tuple(labels))


def _option_in(r: _Reader, d: Mapping) -> Option | None:
    key, label = r.get(d, "key", str, required=True), r.text(d, "label", required=True)
    return Option(key, label) if key and label else None


def _variant_in(r: _Reader, d: Mapping) -> TextVariant | None:
    when, text = r.condition(d, "when"), r.text(d, "text", required=True)
    if "when" not in d:
        r.fail("when", _("is required"))
    return TextVariant(when, text) if when and text else None


def _dispatch_in(r: _Reader, d: Mapping) -> DispatchRule | None:
    known = set(dispatch_to_dict(_DEFAULT_RULE))
    for key in d:
        if key not in known:
            r.fail(key, _("unknown setting; use %(known)s", known=", ".join(sorted(known))))
    channels = d.get("channels", list(_DEFAULT_RULE.channels))
    if isinstance(channels, str):
        channels = [c.strip() for c in channels.split(",") if c.strip()]
    quiet = d.get("quiet_hours", list(_DEFAULT_RULE.quiet_hours or ()))
    if quiet is not None and (
        not isinstance(quiet, list) or len(quiet) != 2 or not all(isinstance(t, str) for t in quiet)
    ):
        r.fail("quiet_hours", _("give two times as HH:MM, or null for none"))
        quiet = None
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        r.fail("channels", _("use 'email', 'sms' or both, in order of preference"))
        channels = []
    rule = DispatchRule(
        trigger=r.get(d, "trigger", str, default=_DEFAULT_RULE.trigger),
        delay_hours=float(r.get(d, "delay_hours", (int, float), default=_DEFAULT_RULE.delay_hours)),
        channels=tuple(channels),
        sampling=float(r.get(d, "sampling", (int, float), default=_DEFAULT_RULE.sampling)),
        fatigue_days=r.get(d, "fatigue_days", int, default=_DEFAULT_RULE.fatigue_days),
        quiet_hours=tuple(quiet) if quiet else None,
        rate_per_minute=r.get(d, "rate_per_minute", int, default=_DEFAULT_RULE.rate_per_minute),
        reminder_after_days=r.get(d, "reminder_after_days", int, default=_DEFAULT_RULE.reminder_after_days)
        if "reminder_after_days" not in d or d["reminder_after_days"] is not None
        else None,
        expires_after_days=r.get(d, "expires_after_days", int, default=_DEFAULT_RULE.expires_after_days),
        filters=r.get(d, "filters", dict, default={}),
        priority=r.get(d, "priority", int, default=_DEFAULT_RULE.priority),
    )
    return None if r.problems else rule


def dispatch_from_dict(data: Any) -> DispatchRule:
    """A dispatch rule in the survey format's ``dispatch`` shape, checked by the same rules as a
    whole survey; SurveyError lists every problem by setting name."""
    r = _Reader()
    if not isinstance(data, Mapping):
        raise SurveyError([("$", _("a dispatch rule is a JSON object"))])
    rule = _dispatch_in(r, data)
    r.raise_if_failed()
    assert rule is not None  # _dispatch_in returns None only with problems recorded
    problems = dispatch_problems(rule)
    if problems:
        raise SurveyError(problems)
    return rule
