"""The words of every results warning, in one place; each says what is wrong and what to do."""

from __future__ import annotations

from typing import Any

from analysis.simpson import mix_moves, own_directions, verdict


def low_response_rate(rate) -> dict[str, Any]:
    return {
        "code": "low_response_rate",
        "value": round(rate.value, 2),
        "message": (
            f"Only {rate.value:.1f}% of invited customers answered "
            f"(95% CI {rate.low:.1f} to {rate.high:.1f}%). "
            "Those who answer may differ from those who do not; read every figure with that in mind."
        ),
    }


def too_few(metric: str, n: int, min_n: int, estimate) -> dict[str, Any]:
    return {
        "code": "small_sample",
        "metric": metric,
        "message": (
            f"{metric.upper()} rests on {n} answers, fewer than the {min_n} needed to report it. "
            f"Its interval runs from {estimate.low:.1f} to {estimate.high:.1f}."
        ),
    }


def imprecise(metric: str, estimate, target: float) -> dict[str, Any]:
    return {
        "code": "small_sample",
        "metric": metric,
        "message": (
            f"{metric.upper()} is known to about ±{estimate.margin:.1f} {estimate.unit}; the target is "
            f"±{target:.0f}. Treat it as a rough figure until more customers answer."
        ),
    }


def gaming(metric: str, by: str, suspect) -> dict[str, Any]:
    return {
        "code": "gaming_suspected",
        "metric": metric,
        **suspect.to_dict(),
        "message": (
            f"{by} {suspect.segment}: {suspect.top_share:.0%} of its {suspect.n} answers are the top score, "
            f"against {suspect.rest_top_share:.0%} elsewhere (Holm-adjusted p = {suspect.p_adjusted:.2g}). "
            "Check how these surveys are handed out before trusting its score."
        ),
    }


def not_significant(metric: str, change, label_from: str, label_to: str) -> dict[str, Any]:
    return {
        "code": "not_significant_change",
        "metric": metric,
        "from_period": label_from,
        "to_period": label_to,
        "message": (
            f"{metric.upper()} moved {change.difference:+.1f} from {label_from} to {label_to}, but a "
            f"change this size happens by chance alone (p = {change.p_value:.2f}; 95% CI "
            f"{change.low:+.1f} to {change.high:+.1f}). Do not report it as a rise or a fall."
        ),
    }


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


def simpson(field: str, result) -> dict[str, Any]:
    return {
        "code": "simpson_reversal",
        **_composition_fields(field, result),
        "message": (
            f"The overall NPS moved {result.crude_change:+.1f} ({result.confidence:.0%} CI "
            f"{result.crude_low:+.1f} to {result.crude_high:+.1f}) between the two halves of the period; "
            f"like for like, with the {field} mix held fixed, it moved {result.adjusted_change:+.1f} "
            f"({result.adjusted_low:+.1f} to {result.adjusted_high:+.1f}). Both changes are beyond noise "
            f"and point opposite ways, so read the overall figure next to the like-for-like one. "
            f"The mix changed: {mix_moves(result)}. Each {field} on its own: {own_directions(result)}."
        ),
    }


def mix_shift(field: str, result) -> dict[str, Any]:
    return {
        "code": "mix_shift",
        **_composition_fields(field, result),
        "message": (
            f"The {field} mix changed between the two halves of the period: {mix_moves(result)}. "
            f"The overall NPS moved {result.crude_change:+.1f} ({result.confidence:.0%} CI "
            f"{result.crude_low:+.1f} to {result.crude_high:+.1f}); like for like, with the mix held "
            f"fixed, it moved {result.adjusted_change:+.1f} ({result.adjusted_low:+.1f} to "
            f"{result.adjusted_high:+.1f}), {verdict(result)}. "
            f"Each {field} on its own: {own_directions(result)}."
        ),
    }


def non_response(check) -> dict[str, Any]:
    cells = sorted(check.cells, key=lambda x: x["respondent_share"] - x["invited_share"])
    low, high = cells[0], cells[-1]
    return {
        "code": "non_response_bias",
        "attribute": check.attribute,
        "cramers_v": round(check.cramers_v, 4),
        "message": (
            f"Respondents do not mirror the invited customers by {check.attribute} (chi-square p = "
            f"{check.p_adjusted:.2g} after Holm): {high['key']} makes up {high['respondent_share']:.0%} "
            f"of answers but {high['invited_share']:.0%} of invitations, {low['key']} "
            f"{low['respondent_share']:.0%} against {low['invited_share']:.0%}. The weighted figure "
            "corrects for it."
        ),
    }
