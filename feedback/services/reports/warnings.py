"""The words of every results warning, in one place; each says what is wrong and what to do.

A warning keeps its English ``message`` (the API, the CLI and exports show it) and also the
``msgid`` and ``params`` it was made from, so that a staff page can show it in the reader's
language with :func:`render`. Numbers stay numbers in ``params``; ``KINDS`` says how each
one is written. No text claims a cause: a warning says what moved, by how much, with its
interval, and what to read next to it.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from flask_babel import gettext

from analysis.simpson import verdict
from feedback import formats
from feedback.services.reports import figure_text


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction; it is translated when rendered, not here."""
    return msgid


# How each parameter is written; a parameter not named here is text, shown as it is.
KINDS = {
    **dict.fromkeys(("rate", "rate_low", "rate_high"), "pct1"),
    **dict.fromkeys(("high_share", "high_invited", "low_share", "low_invited", "before", "after"), "pct0"),
    **dict.fromkeys(("level", "top_share", "rest_top_share"), "pct0"),
    **dict.fromkeys(("low", "high", "margin"), "num1"),
    **dict.fromkeys(("target",), "num0"),
    **dict.fromkeys(("p", "v", "floor"), "num2"),
    **dict.fromkeys(("p_adjusted",), "p"),
    **dict.fromkeys(("n", "min_n"), "int"),
    **dict.fromkeys(("change", "change_low", "change_high", "crude", "crude_low", "crude_high"), "signed1"),
    **dict.fromkeys(("adjusted", "adjusted_low", "adjusted_high"), "signed1"),
    **dict.fromkeys(("unit", "verdict"), "msgid"),
    "moves": "moves",
    "directions": "directions",
}
MOVE = N_("%(key)s went from %(before)s to %(after)s of answers")
UNITS = {"points": N_("points"), "percent": N_("percentage points"), "": N_("points")}
VERDICTS = (
    N_("both changes are beyond noise and point opposite ways"),
    N_("which is not distinguishable from zero"),
    N_("which is beyond noise, while the overall change is not"),
    N_("which is beyond noise"),
)


def _show(kind: str, value: Any, locale: str | None) -> str:
    """``value`` written as ``kind``: in Python's English format, or for ``locale``'s reader."""
    if kind == "moves":
        return "; ".join(
            _text(MOVE, {"key": m["key"], "before": m["before"], "after": m["after"]}, locale) for m in value
        )
    if kind == "directions":
        return ", ".join(f"{d['key']} {_show('signed1', d['change'], locale)}" for d in value)
    if kind == "msgid":
        return gettext(value) if locale else value
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or kind not in ENGLISH:
        return str(value)
    if locale is None:
        return format(value, ENGLISH[kind])
    if kind == "p":
        if value <= 0 or value >= 1e-4:
            return formats.decimal(
                value, locale, max(0, 1 - math.floor(math.log10(value))) if value > 0 else 0
            )
        return formats.digits(f"{value:.1e}", locale)
    decimals = int(kind[-1]) if kind[-1].isdigit() else 0
    if kind.startswith("pct"):
        return formats.percent(100 * value, locale, decimals)
    if kind == "signed1":
        return formats.signed(value, locale, 1)
    return formats.decimal(value, locale, decimals)


ENGLISH = {
    "pct0": ".0%",
    "pct1": ".1%",
    "num0": ".0f",
    "num1": ".1f",
    "num2": ".2f",
    "signed1": "+.1f",
    "p": ".2g",
    "int": "d",
}


def _text(msgid: str, params: dict[str, Any], locale: str | None) -> str:
    shown = {k: _show(KINDS.get(k, ""), v, locale) for k, v in params.items()}
    return (gettext(msgid) if locale else msgid) % shown


def _warning(code: str, msgid: str, params: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"code": code, **fields, "message": _text(msgid, params, None), "msgid": msgid, "params": params}


def render(warning: dict) -> str:
    """A warning's text in the current locale (staff pages); its English message otherwise."""
    if "msgid" not in warning:
        return warning["message"]
    return _text(warning["msgid"], warning["params"], figure_text.reader_locale())


def low_response_rate(rate) -> dict[str, Any]:
    return _warning(
        "low_response_rate",
        N_(
            "Only %(rate)s of invited customers answered (%(level)s CI %(rate_low)s to %(rate_high)s). "
            "Those who answer may differ from those who do not; read every figure with that in mind."
        ),
        {"rate": rate.value / 100, "rate_low": rate.low / 100, "rate_high": rate.high / 100, "level": 0.95},
        value=round(rate.value, 2),
    )


def too_few(metric: str, n: int, min_n: int, estimate) -> dict[str, Any]:
    return _warning(
        "small_sample",
        N_(
            "%(metric)s rests on %(n)s answers, fewer than the %(min_n)s needed to report it. "
            "Its interval runs from %(low)s to %(high)s."
        ),
        {"metric": metric.upper(), "n": n, "min_n": min_n, "low": estimate.low, "high": estimate.high},
        metric=metric,
    )


def imprecise(metric: str, estimate, target: float) -> dict[str, Any]:
    return _warning(
        "small_sample",
        N_(
            "%(metric)s is known to about ±%(margin)s %(unit)s; the target is ±%(target)s. "
            "Treat it as a rough figure until more customers answer."
        ),
        {
            "metric": metric.upper(),
            "margin": estimate.margin,
            "unit": UNITS.get(estimate.unit, estimate.unit),
            "target": target,
        },
        metric=metric,
    )


def gaming(metric: str, by: str, suspect) -> dict[str, Any]:
    return _warning(
        "gaming_suspected",
        N_(
            "%(by)s %(segment)s: %(top_share)s of its %(n)s answers are the top score, against "
            "%(rest_top_share)s elsewhere (Holm-adjusted p = %(p_adjusted)s). Check how these surveys "
            "are handed out before trusting its score."
        ),
        {
            "by": by,
            "segment": suspect.segment,
            "top_share": round(suspect.top_share, 3),
            "n": suspect.n,
            "rest_top_share": round(suspect.rest_top_share, 3),
            "p_adjusted": suspect.p_adjusted,
        },
        metric=metric,
        **suspect.to_dict(),
    )


def not_significant(metric: str, change, label_from: str, label_to: str) -> dict[str, Any]:
    return _warning(
        "not_significant_change",
        N_(
            "%(metric)s moved %(change)s from %(from)s to %(to)s, a change within what chance alone "
            "produces (p = %(p)s; %(level)s CI %(change_low)s to %(change_high)s). Do not report it as a "
            "rise or a fall."
        ),
        {
            "metric": metric.upper(),
            "change": change.difference,
            "from": label_from,
            "to": label_to,
            "p": change.p_value,
            "level": 0.95,
            "change_low": change.low,
            "change_high": change.high,
        },
        metric=metric,
        from_period=label_from,
        to_period=label_to,
    )


def composition(field: str, result) -> dict[str, Any] | None:
    """The warning for a Simpson check's finding (reversal or mix shift), or None when there is none."""
    if result.finding == "reversal":
        return simpson(field, result)
    if result.finding == "mix_shift":
        return mix_shift(field, result)
    return None


def _composition_fields(field: str, result) -> dict[str, Any]:
    return {
        "metric": "nps",
        "by": field,
        "strata": list(result.strata),
        "crude_change": round(result.crude_change, 2),
        "crude_low": round(result.crude_low, 2),
        "crude_high": round(result.crude_high, 2),
        "adjusted_change": round(result.adjusted_change, 2),
        "adjusted_low": round(result.adjusted_low, 2),
        "adjusted_high": round(result.adjusted_high, 2),
    }


def _composition_params(field: str, result) -> dict[str, Any]:
    moved = sorted(result.strata, key=lambda s: abs(s["share_after"] - s["share_before"]), reverse=True)
    return {
        "field": field,
        "level": result.confidence,
        "crude": result.crude_change,
        "crude_low": result.crude_low,
        "crude_high": result.crude_high,
        "adjusted": result.adjusted_change,
        "adjusted_low": result.adjusted_low,
        "adjusted_high": result.adjusted_high,
        "moves": [
            {"key": str(s["key"]), "before": s["share_before"], "after": s["share_after"]} for s in moved[:2]
        ],
        "directions": [{"key": str(s["key"]), "change": s["change"]} for s in result.strata],
        "verdict": verdict(result),
    }


def simpson(field: str, result) -> dict[str, Any]:
    return _warning(
        "simpson_reversal",
        N_(
            "The overall NPS moved %(crude)s (%(level)s CI %(crude_low)s to %(crude_high)s) between the two "
            "halves of the period; like for like, with the %(field)s mix held fixed, it moved %(adjusted)s "
            "(%(adjusted_low)s to %(adjusted_high)s). Both changes are beyond noise and point opposite ways, "
            "so read the overall figure next to the like-for-like one. The mix changed: %(moves)s. "
            "Each %(field)s on its own: %(directions)s."
        ),
        _composition_params(field, result),
        **_composition_fields(field, result),
    )


def mix_shift(field: str, result) -> dict[str, Any]:
    return _warning(
        "mix_shift",
        N_(
            "The %(field)s mix changed between the two halves of the period: %(moves)s. The overall NPS "
            "moved %(crude)s (%(level)s CI %(crude_low)s to %(crude_high)s); like for like, with the mix "
            "held fixed, it moved %(adjusted)s (%(adjusted_low)s to %(adjusted_high)s), %(verdict)s. "
            "Each %(field)s on its own: %(directions)s."
        ),
        _composition_params(field, result),
        **_composition_fields(field, result),
    )


def non_response(check) -> dict[str, Any]:
    cells = sorted(check.cells, key=lambda x: x["respondent_share"] - x["invited_share"])
    low, high = cells[0], cells[-1]
    return _warning(
        "non_response_bias",
        N_(
            "Respondents do not mirror the invited customers by %(attribute)s (chi-square p = "
            "%(p_adjusted)s after Holm; Cramér's V = %(v)s, at least the %(floor)s floor): %(high_key)s "
            "makes up %(high_share)s of answers but %(high_invited)s of invitations, %(low_key)s "
            "%(low_share)s against %(low_invited)s. A figure weighted to the invited mix matches it on "
            "this attribute only; no weighting adjusts for differences the attributes do not record."
        ),
        {
            "attribute": check.attribute,
            "p_adjusted": check.p_adjusted,
            "v": check.cramers_v,
            "floor": check.min_effect,
            "high_key": str(high["key"]),
            "high_share": high["respondent_share"],
            "high_invited": high["invited_share"],
            "low_key": str(low["key"]),
            "low_share": low["respondent_share"],
            "low_invited": low["invited_share"],
        },
        attribute=check.attribute,
        cramers_v=round(check.cramers_v, 4),
    )
