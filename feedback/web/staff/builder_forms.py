"""Builder forms, built per request from the survey's locales (Flask-WTF: CSRF on each)."""

from __future__ import annotations

import re

from flask_babel import LazyString, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

import surveys
from surveys.model import CHOICE_TYPES, SUPPORTED_LOCALES, Role
from surveys.templates import TEMPLATES

# Each language in its own script, then in the reader's language unless the reader reads that one.
_OWN_NAMES = {"en": "English", "fa": "فارسی", "ar": "العربية", "ru": "Русский"}
_READER_NAMES = {"en": _l("English"), "fa": _l("Persian"), "ar": _l("Arabic"), "ru": _l("Russian")}


def _locale_name(code: str) -> str:
    if str(get_locale() or "en") == code:
        return _OWN_NAMES[code]
    return f"{_OWN_NAMES[code]} ({_READER_NAMES[code]})"


LOCALE_NAMES = {code: LazyString(_locale_name, code) for code in _OWN_NAMES}
# Template names in the reader's language; the key stays the submitted value.
TEMPLATE_NAMES = {
    "transactional-nps": _l("Transactional NPS after purchase"),
    "delivery-csat": _l("Post-delivery CSAT"),
    "support-ces": _l("Support effort (CES)"),
    "product-quality": _l("Product quality and its drivers"),
    "relationship-nps": _l("Relationship NPS"),
}


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


KEY_RULE = Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$", message=_l("Use lowercase letters, digits, '-' or '_'."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewSurveyForm(FlaskForm):
    template = SelectField(
        _l("Start from"),
        choices=choices(
            [("", _l("A blank survey"))]
            + [(key, TEMPLATE_NAMES.get(key) or factory().name) for key, factory in TEMPLATES.items()]
        ),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    key = StringField(
        _l("Key"),
        validators=[DataRequired(), KEY_RULE],
        description=_l("Used in links and the API; it cannot change later."),
    )
    locales = MultiCheckboxField(
        _l("Languages"),
        choices=choices((code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES),
        default=["en"],
        validators=[DataRequired(_l("Choose at least one language."))],
    )


class SimpleForm(FlaskForm):
    """A POST with nothing but its CSRF token: move, delete, start editing."""


class AddQuestionForm(FlaskForm):
    type = SelectField(
        _l("Question type"),
        choices=choices(
            [
                ("nps", _l("NPS (0-10, likelihood to recommend)")),
                ("csat", _l("CSAT (satisfaction, labelled)")),
                ("ces", _l("CES (ease or difficulty)")),
                ("likert", _l("Rating scale (Likert)")),
                ("single_choice", _l("Single choice")),
                ("multiple_choice", _l("Multiple choice")),
                ("open_text", _l("Open text")),
            ]
        ),
    )


class PublishForm(FlaskForm):
    start_sending = BooleanField(
        _l("Start sending: every new purchase that matches the dispatch rule gets this survey"), default=True
    )
    override = BooleanField(_l("Publish anyway, despite the wording problems above"))
    override_reason = TextAreaField(_l("Reason (recorded in the audit log)"), validators=[Length(max=1000)])


def role_name(role: str) -> str:
    """What a question measures, as the designer reads it."""
    names = {
        "nps": gettext("NPS"),
        "csat": gettext("CSAT"),
        "ces": gettext("CES"),
        "driver": gettext("driver"),
        "reason": gettext("reason"),
        "touchpoint": gettext("touchpoint"),
        "other": gettext("other"),
    }
    return names.get(role, role.replace("_", " "))


def locale_field(locale: str) -> str:
    return locale.replace("-", "_")


def question_form(spec: surveys.Survey, question: surveys.Question, formdata=None) -> FlaskForm:
    """Fields for one question: its settings, then every text once per locale."""
    locales = spec.locales
    earlier = [q for q in spec.questions if q.page < question.page and q.type.is_scale]

    class QuestionForm(FlaskForm):
        role = SelectField(_l("Measures"), choices=choices((r.value, role_name(r.value)) for r in Role))
        attribute = StringField(
            _l("Attribute (for drivers: quality, price, delivery...)"), validators=[Optional(), KEY_RULE]
        )
        required = BooleanField(_l("An answer is required"))
        page = IntegerField(_l("Page"), validators=[NumberRange(1, 50)])
        dont_know = BooleanField(_l("Offer “Don't know / not applicable”"))
        allow_other = BooleanField(_l("Offer “Other” with a text box"))
        randomize = BooleanField(_l("Shuffle the options for each respondent"))
        scale_points = SelectField(
            _l("Points"), choices=choices([("5", "5"), ("7", "7")]), validate_choice=False
        )
        option_keys = TextAreaField(_l("Option keys (one per line)"))
        show_if_question = SelectField(
            _l("Show only if"),
            choices=choices(
                [("", gettext("always"))]
                + [(q.key, gettext("“%(key)s” is between", key=q.key)) for q in earlier]
            ),
            validate_choice=False,
        )
        show_if_min = IntegerField(_l("from"), validators=[Optional()])
        show_if_max = IntegerField(_l("to"), validators=[Optional()])

    for loc in locales:
        name = locale_field(loc)
        setattr(
            QuestionForm,
            f"text_{name}",
            TextAreaField(gettext("Question (%(locale)s)", locale=loc), validators=[Length(max=1000)]),
        )
        setattr(
            QuestionForm, f"min_label_{name}", StringField(gettext("Lowest point (%(locale)s)", locale=loc))
        )
        setattr(
            QuestionForm, f"max_label_{name}", StringField(gettext("Highest point (%(locale)s)", locale=loc))
        )
        setattr(
            QuestionForm,
            f"labels_{name}",
            TextAreaField(gettext("Labels, lowest first (%(locale)s)", locale=loc)),
        )
        setattr(
            QuestionForm,
            f"options_{name}",
            TextAreaField(gettext("Options, one per line (%(locale)s)", locale=loc)),
        )
        for i in range(len(question.variants)):
            setattr(
                QuestionForm, f"variant{i}_{name}", TextAreaField(gettext("Wording (%(locale)s)", locale=loc))
            )
    form = QuestionForm(formdata=formdata, obj=None)
    if formdata is None:
        _fill(form, spec, question)
    return form


def _fill(form: FlaskForm, spec: surveys.Survey, q: surveys.Question) -> None:
    form.role.data = q.role.value
    form.attribute.data = q.attribute
    form.required.data = q.required
    form.page.data = q.page
    form.dont_know.data = q.dont_know
    form.allow_other.data = q.allow_other
    form.randomize.data = q.randomize
    form.option_keys.data = "\n".join(o.key for o in q.options)
    if q.scale is not None:
        form.scale_points.data = str(q.scale.max - q.scale.min + 1)
    if q.show_if:
        form.show_if_question.data = q.show_if.question
        form.show_if_min.data = q.show_if.min
        form.show_if_max.data = q.show_if.max
    for loc in spec.locales:
        name = locale_field(loc)
        getattr(form, f"text_{name}").data = q.text.variants.get(loc, "")
        if q.scale is not None:
            getattr(form, f"min_label_{name}").data = (
                q.scale.min_label.variants.get(loc, "") if q.scale.min_label else ""
            )
            getattr(form, f"max_label_{name}").data = (
                q.scale.max_label.variants.get(loc, "") if q.scale.max_label else ""
            )
            getattr(form, f"labels_{name}").data = "\n".join(t.variants.get(loc, "") for t in q.scale.labels)
        getattr(form, f"options_{name}").data = "\n".join(o.label.variants.get(loc, "") for o in q.options)
        for i, v in enumerate(q.variants):
            getattr(form, f"variant{i}_{name}").data = v.text.variants.get(loc, "")


def question_from_form(spec: surveys.Survey, q: surveys.Question, form: FlaskForm) -> surveys.Question:
    """The edited question. Structural mistakes surface later as SurveyError with a path."""
    from dataclasses import replace

    locales = spec.locales

    def texts(prefix: str) -> surveys.Text:
        return surveys.Text(
            {
                loc: (getattr(form, f"{prefix}_{locale_field(loc)}").data or "").strip()
                for loc in locales
                if (getattr(form, f"{prefix}_{locale_field(loc)}").data or "").strip()
            }
        )

    def lines(prefix: str, loc: str) -> list[str]:
        raw = getattr(form, f"{prefix}_{locale_field(loc)}").data or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    scale = q.scale
    if scale is not None:
        points = int(form.scale_points.data or (scale.max - scale.min + 1))
        if q.type.value in ("csat", "ces", "likert") and points != scale.max - scale.min + 1:
            from surveys.standard import default_scale, likert_scale

            scale = (
                likert_scale(locales, points)
                if q.type.value == "likert"
                else replace(default_scale(q.type.value, locales), max=points)
            )
        elif scale.labels:
            count = scale.max - scale.min + 1
            per_locale = {loc: lines("labels", loc) for loc in locales}
            labels = tuple(
                surveys.Text({loc: per_locale[loc][i] for loc in locales if i < len(per_locale[loc])})
                for i in range(count)
            )
            scale = replace(scale, labels=labels)
        else:
            scale = replace(scale, min_label=texts("min_label"), max_label=texts("max_label"))
    options = q.options
    if q.type in CHOICE_TYPES:
        keys = [k.strip() for k in (form.option_keys.data or "").splitlines() if k.strip()]
        per_locale = {loc: lines("options", loc) for loc in locales}
        count = max([len(keys)] + [len(v) for v in per_locale.values()])
        keys += [f"option_{i + 1}" for i in range(len(keys), count)]
        options = tuple(
            surveys.Option(
                keys[i],
                surveys.Text({loc: per_locale[loc][i] for loc in locales if i < len(per_locale[loc])}),
            )
            for i in range(count)
        )
    show_if = None
    if form.show_if_question.data:
        show_if = surveys.Condition(form.show_if_question.data, form.show_if_min.data, form.show_if_max.data)
    variants = tuple(replace(v, text=texts(f"variant{i}")) for i, v in enumerate(q.variants))
    return replace(
        q,
        text=texts("text"),
        role=Role(form.role.data),
        attribute=(form.attribute.data or None),
        required=bool(form.required.data),
        page=int(form.page.data or 1),
        scale=scale,
        options=options,
        dont_know=bool(form.dont_know.data) and q.type.value != "open_text",
        allow_other=bool(form.allow_other.data) and q.type in CHOICE_TYPES,
        randomize=bool(form.randomize.data) and q.type in CHOICE_TYPES,
        show_if=show_if,
        variants=variants,
    )


def problem_field(path: str) -> str | None:
    """Map 'questions[2].text.fa' to the form field that shows it ('text_fa')."""
    m = re.match(r"questions\[\d+\]\.(\w+)(?:\.(\w+))?", path)
    if not m:
        return None
    part, locale = m.groups()
    return f"{part}_{locale}" if locale else part
