"""Who answered, against who was invited: per attribute, a chi-square test of independence
of answered x category (not a goodness-of-fit test)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from analysis.multiple import holm


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "chi2": round(self.chi2, 3),
            "dof": self.dof,
            "p_value": round(self.p_value, 6),
            "p_adjusted": round(self.p_adjusted, 6),
            "biased": self.biased,
            "cramers_v": round(self.cramers_v, 4),
            "cells": list(self.cells),
        }

    def summary(self) -> str:
        lines = [
            f"{self.attribute}: chi2 = {self.chi2:.2f} on {self.dof} df, p = {self.p_value:.4g} "
            f"(Holm {self.p_adjusted:.4g}), Cramer's V = {self.cramers_v:.3f}"
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
) -> list[Representativeness]:
    """For each attribute, do respondents differ from the invited population? (Holm across attributes.)

    The test is the chi-square test of independence between category and answering
    (answered / did not answer), which is exact in spirit to comparing the response
    rates of the categories. Categories with no invitations are ignored.

    References
    ----------
    Groves, R. M. (2006). Nonresponse rates and nonresponse bias in household surveys.
    *Public Opinion Quarterly* 70(5), 646-675.
    """
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
        v = float(np.sqrt(chi2 / (inv_n.sum() * (min(table.shape) - 1))))
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
        Representativeness(a, c, d, p, float(pa), bool(rj), v, cells)
        for (a, c, d, p, v, cells), rj, pa in zip(results, reject, p_adj, strict=True)
    ]
