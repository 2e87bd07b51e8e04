"""Alert messages as msgids with parameters: English in the database and the API, the
reader's language on pages and in e-mails.

A parameter that is itself a word to translate is stored as ``{"msgid": ...}`` (or with its
own ``params``); ``then`` holds an optional second sentence, the driver line.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext


def N_(msgid: str) -> str:
    """Marks a msgid for extraction; it is translated when rendered."""
    return msgid


def word(msgid: str, **params: Any) -> dict[str, Any]:
    return {"msgid": msgid, "params": params} if params else {"msgid": msgid}


# The default themes as a sentence names them: at its start, and inside it.
THEME_NAMES = {
    "product_defect": (N_("Product defect"), N_("product defect")),
    "price": (N_("Price"), N_("price")),
    "delivery": (N_("Delivery"), N_("delivery")),
    "staff": (N_("Staff"), N_("staff")),
    "packaging": (N_("Packaging"), N_("packaging")),
    "billing": (N_("Billing"), N_("billing")),
    "usability": (N_("Usability"), N_("usability")),
    "feature_request": (N_("Feature request"), N_("feature request")),
}


def theme(code: str, *, capital: bool = True) -> dict[str, Any] | str:
    """A theme's name for a message, translated when shown; a staff-made theme keeps its code."""
    names = THEME_NAMES.get(code)
    if names is None:
        text = code.replace("_", " ")
        return text.capitalize() if capital else text
    return word(names[0] if capital else names[1])


def english(template: str, params: dict[str, Any]) -> str:
    """The message in English: the msgid itself filled in."""
    return _render(template, params, lambda s: s)


def render(template: str, params: dict[str, Any], fallback: str = "") -> str:
    """The message in the current locale (the request's, or a `force_locale` block's)."""
    if not template:
        return fallback
    try:
        return _render(template, params, gettext)
    except (KeyError, TypeError, ValueError):
        # A catalog whose translation drops or renames a placeholder must not hide the alert.
        return fallback or english(template, params)


def _render(template: str, params: dict[str, Any], translate) -> str:
    values = {k: _value(v, translate) for k, v in params.items() if k != "then"}
    text = translate(template) % values if values else translate(template)
    then = params.get("then")
    if then:
        text = f"{text} {_value(then, translate)}"
    return text


def _value(value: Any, translate) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return _render(value["msgid"], value.get("params", {}), translate)
    return value


class Localized:
    """An alert's message rendered when shown, in the locale active then (a page's request or
    a digest's `force_locale`). No ``__html__``: templates escape it like any other text."""

    __slots__ = ("fallback", "params", "template")

    def __init__(self, template: str, params: dict[str, Any], fallback: str) -> None:
        self.template, self.params, self.fallback = template, params, fallback

    def __str__(self) -> str:
        return render(self.template, self.params, self.fallback)

    def __contains__(self, text: str) -> bool:
        return text in str(self)
