"""What the API accepts, described once: the request models validate every body and query, and
the OpenAPI document is generated from them (``openapi.py``).

The models hold the structure (fields, types, lengths, formats, what is required); the
services then apply the rules a schema cannot say (a phone number that exists, a purchase not
in the future), and refuse with 422 and the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from flask import request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from feedback.services.errors import Unreadable, ValidationFailed
from surveys.validate import MAX_DAYS, MAX_PRIORITY, MAX_RATE

# No control characters in any text: such a name could write a header into an e-mail.
PLAIN = r"^[^\x00-\x1f\x7f-\x9f]*$"


def text(max_length: int, *, min_length: int = 0, pattern: str = PLAIN, **extra: Any):
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=pattern, **extra)]


LOCALE_PATTERN = r"^[a-z]{2,3}([-_][A-Za-z]{2})?$"
ID_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\s][^\x00-\x1f\x7f-\x9f]*$"
Id = text(128, min_length=1, pattern=ID_PATTERN)
Moment = Annotated[AwareDatetime, Field(description="ISO 8601 with a time zone, e.g. 2026-11-20T14:30:00Z")]
# A number, or the same as a string ("19.90"), as shops send both; cents are kept.
Money = (
    Annotated[float, Field(ge=0, le=999_999_999_999.99)]
    | Annotated[int, Field(ge=0, lt=10**12)]
    | Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
)
PropertyValue = Annotated[str, Field(max_length=500, pattern=PLAIN)] | int | float | bool | None
PropertyName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f-\x9f]{1,64}$")]
Properties = dict[PropertyName, PropertyValue]


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class Patch(Model):
    """A change to one record: a field it does not know is refused, never silently dropped, so
    an integration that misspells one (or tries a read-only one) learns it did nothing."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class CustomerIn(Model):
    id: Id
    email: text(320) | None = None
    phone: text(40, description="international form, e.g. +447700900123") | None = None
    name: text(200) | None = None
    locale: text(16, pattern=r"^[a-z]{2,3}([-_][A-Za-z]{2})?$", examples=["en", "fa", "ar", "ru"]) | None = (
        None
    )
    time_zone: text(64, examples=["Asia/Tehran", "Europe/London"]) | None = None
    properties: Properties = Field(default_factory=dict, max_length=50)
    last_invited_at: Moment | None = Field(
        default=None, description="When another system last surveyed them; the fatigue window counts it."
    )
    opted_out: bool | None = Field(
        default=None, description="true opts out; false never clears an opt-out (use /resubscribe)"
    )


class ItemIn(Model):
    sku: text(64) | None = None
    name: text(200) | None = None
    category: text(64) | None = None
    quantity: Annotated[int, Field(ge=1, le=100_000)] | None = None
    price: Money | None = None


class PurchaseIn(Model):
    id: Id = Field(description="Your order id; posting it again changes nothing.")
    customer: CustomerIn
    purchased_at: Moment
    delivered_at: Moment | None = None
    amount: Money | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    channel: text(32) | None = None
    items: list[ItemIn] = Field(default_factory=list, max_length=100)
    properties: Properties = Field(default_factory=dict, max_length=50)


class DeliveredIn(Model):
    delivered_at: Moment


class ResubscribeIn(Model):
    reason: text(500, min_length=10, description="how the customer asked to hear from you again")


class SmsIn(Model):
    from_: text(40) = Field(alias="from")
    text: text(1600)


Localized = Annotated[
    dict[Annotated[str, Field(pattern=LOCALE_PATTERN)], text(5000)],
    Field(description='the text in each of the survey\'s locales, e.g. {"en": "…", "fa": "…"}'),
]
Key = text(64, min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ConditionIn(Model):
    question: Key
    min: int | None = None
    max: int | None = None


class ScaleIn(Model):
    min: Annotated[int, Field(ge=-100, le=100)]
    max: Annotated[int, Field(ge=-100, le=100)]
    min_label: Localized | None = None
    max_label: Localized | None = None
    labels: list[Localized] = Field(default_factory=list, max_length=101)


class OptionIn(Model):
    key: Key
    label: Localized


class VariantIn(Model):
    when: ConditionIn
    text: Localized


class QuestionIn(Model):
    key: Key
    type: Literal["nps", "csat", "ces", "likert", "single_choice", "multiple_choice", "open_text"]
    text: Localized
    role: Literal["nps", "csat", "ces", "driver", "reason", "touchpoint", "other"] | None = None
    required: bool = False
    page: Annotated[int, Field(ge=1, le=100)] = 1
    attribute: text(64) | None = None
    scale: ScaleIn | None = None
    options: list[OptionIn] = Field(default_factory=list, max_length=100)
    allow_other: bool = False
    dont_know: bool = False
    randomize: bool = False
    max_length: Annotated[int, Field(ge=1, le=20_000)] = 2000
    show_if: ConditionIn | None = None
    variants: list[VariantIn] = Field(default_factory=list, max_length=20)


FilterValues = list[text(128, min_length=1)] | text(128, min_length=1)


class FiltersIn(Model):
    model_config = ConfigDict(extra="forbid")
    channel: FilterValues | None = None
    category: FilterValues | None = None
    locale: FilterValues | None = None
    min_amount: Annotated[float, Field(ge=0, lt=1e12)] | None = None
    max_amount: Annotated[float, Field(ge=0, lt=1e12)] | None = None
    properties: dict[PropertyName, FilterValues] | None = None


def documented(**schema: Any) -> Any:
    """Limits stated in the document only: the survey format's own validator judges them
    (``surveys.validate.dispatch_problems``), with the words the staff rule editor shows too."""
    return Field(json_schema_extra=schema)


class DispatchIn(Model):
    trigger: Literal["purchase", "delivery"] = "purchase"
    delay_hours: Annotated[float, documented(minimum=0, maximum=8760)] = 24.0
    channels: list[Literal["email", "sms"]] = Field(default=["email"], min_length=1, max_length=2)
    sampling: Annotated[float, documented(exclusiveMinimum=0, maximum=1)] = 1.0
    fatigue_days: Annotated[int, documented(minimum=0, maximum=MAX_DAYS)] = 30
    quiet_hours: list[Annotated[str, documented(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]] | None = Field(
        default=["21:00", "09:00"], min_length=2, max_length=2
    )
    rate_per_minute: Annotated[int, documented(minimum=1, maximum=MAX_RATE)] = 60
    reminder_after_days: Annotated[int, documented(minimum=1, maximum=MAX_DAYS)] | None = 3
    expires_after_days: Annotated[int, documented(minimum=1, maximum=MAX_DAYS)] = 14
    filters: FiltersIn = Field(default_factory=FiltersIn)
    priority: Annotated[int, documented(minimum=0, maximum=MAX_PRIORITY)] = 0


class SurveyIn(Model):
    """The survey JSON format (docs/survey-format.md); its own rules (a reminder before expiry,
    every locale translated before publishing...) are checked after these."""

    format: Literal["candor-survey/1"] = "candor-survey/1"
    key: Key
    name: text(200, min_length=1)
    locales: list[Annotated[str, Field(pattern=LOCALE_PATTERN)]] = Field(min_length=1, max_length=20)
    default_locale: Annotated[str, Field(pattern=LOCALE_PATTERN)] | None = None
    questions: list[QuestionIn] = Field(max_length=200)
    intro: Localized | None = None
    thanks: Localized | None = None
    dispatch: DispatchIn | None = None


class SurveyQuery(Model):
    publish: Literal["true", "false", "1", "0", "yes", "no"] | None = None
    activate: Literal["true", "false", "1", "0", "yes", "no"] | None = None
    override_reason: text(1000) | None = None


FileFormat = Literal["json", "csv", "xlsx"]


class ResponsesQuery(Model):
    survey: text(64) | None = Field(default=None, description="key or id; required for csv and xlsx")
    since: Moment | None = None
    cursor: text(200) | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] | None = None
    format: FileFormat | None = Field(
        default=None,
        description="json (pages, the default), or the whole survey as one csv or xlsx file with "
        "a column per question and the themes",
    )


class ResultsQuery(Model):
    by: Literal["tier", "channel", "region", "category", "store", "locale"] | None = None
    format: FileFormat | None = Field(default=None, description="json (the default), csv or xlsx")
    from_: date | None = Field(default=None, alias="from", description="first day, inclusive")
    to: date | None = Field(default=None, description="last day, inclusive")

    @field_validator("to")
    @classmethod
    def _before_the_last_day(cls, value: date | None) -> date | None:
        if value is not None and value >= date.max:
            raise ValueError("must be before 9999-12-31")
        return value


ThemeCode = text(32, min_length=1, pattern=r"^[a-z][a-z0-9_]{0,31}$")


class CommentsQuery(Model):
    survey: text(64) | None = Field(default=None, description="key or id")
    theme: ThemeCode | None = None
    group: text(32, min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$") | None = Field(
        default=None, description="a stakeholder group's slug: the comments on its themes"
    )
    q: text(200) | None = Field(default=None, description="words to search for, in any of the four languages")
    since: Moment | None = None
    cursor: text(200) | None = None
    limit: Annotated[int, Field(ge=1, le=200)] | None = None


class CommentPatch(Patch):
    themes: list[ThemeCode] = Field(
        max_length=50, description="the comment's themes as they should be; kept as labelled data"
    )


class CasesQuery(Model):
    status: Literal["active", "open", "in_progress", "waiting", "closed"] | None = Field(
        default=None, description="by default every case that is not closed"
    )
    group: text(32, min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$") | None = None
    overdue: bool | None = Field(default=None, description="only cases past a deadline")
    page: Annotated[int, Field(ge=1, le=100_000)] | None = None


class CasePatch(Patch):
    status: Literal["open", "in_progress", "waiting", "closed"] | None = None
    outcome: Literal["resolved", "unresolved", "no_contact"] | None = Field(
        default=None, description="required when closing"
    )
    note: (
        text(
            4000, min_length=1, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*\S[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
        )
        | None
    ) = Field(default=None, description="an internal note; lines and tabs are kept")
    owner: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = Field(
        default=None, description="id of a staff account that works cases"
    )
    contacted: bool | None = Field(default=None, description="the first contact with the customer is made")


class AlertsQuery(Model):
    status: Literal["open", "acknowledged", "resolved"] | None = None
    group: text(32, min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$") | None = None
    page: Annotated[int, Field(ge=1, le=100_000)] | None = None


class AlertPatch(Patch):
    status: Literal["open", "acknowledged", "resolved"]


BODIES = (
    CustomerIn,
    PurchaseIn,
    DeliveredIn,
    ResubscribeIn,
    SmsIn,
    SurveyIn,
    CommentPatch,
    CasePatch,
    AlertPatch,
)


def body(model: type[Model]) -> Model:
    """The request's JSON body checked against ``model``; ValidationFailed lists every problem."""
    data = request.get_json(silent=True)
    if data is None:
        from feedback.web.guards import body_problem

        problem = body_problem() if request.is_json else None
        if problem and problem[1]:
            raise ValidationFailed([("$", problem[0])], "The body holds text no field can store.")
        reason = problem[0] if problem else "send a JSON object with Content-Type: application/json"
        raise Unreadable([("$", reason)], "The body is not JSON.")
    # Strict, as JSON is typed: true is not 1, and "5" is not a quantity.
    return _checked(model, data, "The body is not valid.", strict=True)


def query(model: type[Model]) -> Model:
    """The request's query string checked against ``model``; each parameter given once."""
    return _checked(model, request.args.to_dict(), "The query is not valid.")


def _checked(model: type[Model], data: Any, title: str, *, strict: bool = False) -> Model:
    try:
        if strict:
            return model.model_validate_json(request.get_data(cache=True), strict=True)
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            errors.setdefault(_path(e["loc"]), _message(e))  # one message per field, the first
        raise ValidationFailed(list(errors.items()), title) from None


# Steps pydantic adds to a location for the member of a union it tried ("constrained-str").
_TAGS = {"str", "int", "float", "bool", "none", "datetime", "date", "dict", "list", "json-or-python"}


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, str) and (part in _TAGS or any(c in part for c in "-[]")):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = "from" if part == "from_" else str(part)
            out += f".{name}" if out else name
    return out or "$"


def _message(error: dict) -> str:
    if error["type"] == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") in (
        PLAIN,
        ID_PATTERN,
    ):
        return "must not contain control characters (line breaks, NUL...)"
    return error["msg"][0].lower() + error["msg"][1:]


def schemas() -> dict[str, dict]:
    """JSON Schemas of the request models, for components/schemas."""
    from pydantic.json_schema import models_json_schema

    _, definitions = models_json_schema(
        [(m, "validation") for m in BODIES], ref_template="#/components/schemas/{model}"
    )
    return _closed(definitions.get("$defs", {}))


def _closed(node):
    """A mapping whose keys follow a pattern accepts no other key: pydantic checks every key,
    so the document says so (patternProperties alone would let any other key through)."""
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        if "patternProperties" in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


def parameters(model: type[Model]) -> list[dict]:
    """OpenAPI query parameters from a query model."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
    out = []
    for name, prop in schema.get("properties", {}).items():
        description = prop.pop("description", None)
        prop.pop("title", None)
        parameter = {
            "name": name,
            "in": "query",
            "required": name in schema.get("required", []),
            "schema": prop,
        }
        if description:
            parameter["description"] = description
        out.append(parameter)
    return out
