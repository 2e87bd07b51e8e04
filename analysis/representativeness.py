"""Who answered, against who was invited: per attribute, a chi-square test of independence
of answered x category (not a goodness-of-fit test)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from analysis.effects import FLOORS, cramers_v, practical
from analysis.multiple import holm

# Half Cohen's (1988) "small" V of 0.1 (FLOORS): in an answered x category table a small
# category that answers far more often moves V little (the demo's top tier answers at 43%
# against 26% for small customers, yet V = 0.08), while 0.05 still ignores trivia (docs/analysis.md).
MIN_EFFECT = FLOORS["cramers_v"] / 2


@dataclass(frozen=True)
class Representativeness:
    attribute: str
    chi2: float
    dof: int
    p_value: float
    p_adjusted: float
    biased: bool
    cramers_v: float
    cells: tuple[dict[str, Any], ...]  # per category: invited share, respondent share, response rate
    significant: bool = False  # Holm-adjusted p below alpha, whatever the size
    min_effect: float = MIN_EFFECT  # biased needs significant and cramers_v at least this

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "chi2": round(self.chi2, 3),
            "dof": self.dof,
            "p_value": round(self.p_value, 6),
            "p_adjusted": round(self.p_adjusted, 6),
            "biased": self.biased,
            "cramers_v": round(self.cramers_v, 4),
            "significant": self.significant,
            "min_effect": self.min_effect,
            "cells": list(self.cells),
        }

    def summary(self) -> str:
        lines = [
            f"{self.attribute}: chi2 = {self.chi2:.2f} on {self.dof} df, p = {self.p_value:.4g} "
            f"(Holm {self.p_adjusted:.4g}), Cramer's V = {self.cramers_v:.3f}"
            + (
                f" (significant, but below the {self.min_effect:g} floor)"
                if self.significant and not self.biased
                else ""
            )
        ]
        for c in self.cells:
            lines.append(
                f"  {c['key']!s:<12} invited {c['invited_share']:6.1%}  answered "
                f"{c['respondent_share']:6.1%}  response rate {c['response_rate']:6.1%}"
            )
        return "\n".join(lines)


def check(
    invited: Mapping[str, Mapping[Any, int]],
    responded: Mapping[str, Mapping[Any, int]],
    *,
    alpha: float = 0.05,
    min_effect: float = MIN_EFFECT,
) -> list[Representativeness]:
    """For each attribute, do respondents differ from the invited population? (Holm across attributes.)

    The test is the chi-square test of independence between category and answering
    (answered / did not answer), which is exact in spirit to comparing the response
    rates of the categories. Categories with no invitations are ignored. An attribute is
    ``biased`` only when the difference is both significant after Holm's correction and
    of a practical size, Cramer's V of the table at least ``min_effect`` (default 0.05,
    half Cohen's small effect; see ``MIN_EFFECT``): with 100,000 invitations a V of 0.03 is
    significant but not worth weighting for.

    References
    ----------
    Groves, R. M. (2006). Nonresponse rates and nonresponse bias in household surveys.
    *Public Opinion Quarterly* 70(5), 646-675. Cohen, J. (1988), *Statistical Power
    Analysis for the Behavioral Sciences*, 2nd ed., ch. 7, for the floor on V.

    Examples
    --------
    >>> invited = {"tier": {"top": 1000, "small": 9000}}
    >>> [c.biased for c in check(invited, {"tier": {"top": 600, "small": 1800}})]
    [True]
    >>> big = {"tier": {"top": 50_000, "small": 50_000}}
    >>> (r,) = check(big, {"tier": {"top": 15_000, "small": 13_800}})
    >>> r.significant, round(r.cramers_v, 3), r.biased
    (True, 0.026, False)
    """
    if min_effect < 0:
        raise ValueError("min_effect must be at least 0")
    results = []
    for attribute, inv in invited.items():
        keys = [k for k, v in inv.items() if v > 0]
        if len(keys) < 2:
            continue
        ans = np.array([responded.get(attribute, {}).get(k, 0) for k in keys], dtype=float)
        inv_n = np.array([inv[k] for k in keys], dtype=float)
        if (ans > inv_n).any():
            raise ValueError(f"{attribute}: more responses than invitations in a category")
        table = np.vstack([ans, inv_n - ans])
        if table.sum(axis=1).min() == 0:
            continue
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
        v = cramers_v(table)
        cells = tuple(
            {
                "key": k,
                "invited": int(i),
                "responded": int(a),
                "invited_share": float(i / inv_n.sum()),
                "respondent_share": float(a / ans.sum()) if ans.sum() else 0.0,
                "response_rate": float(a / i),
            }
            for k, i, a in zip(keys, inv_n, ans, strict=True)
        )
        results.append((attribute, float(chi2), int(dof), float(p), v, cells))
    if not results:
        return []
    reject, p_adj = holm([r[3] for r in results], alpha)
    return [
        Representativeness(
            a, c, d, p, float(pa), bool(rj) and practical(v, min_effect), v, cells, bool(rj), min_effect
        )
        for (a, c, d, p, v, cells), rj, pa in zip(results, reject, p_adj, strict=True)
    ]
