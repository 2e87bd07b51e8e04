"""The finite population correction, where a caller has a real sampling frame of N."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from analysis.nps_intervals import nps_weighted


def _kish_half(scores, weights) -> float:
    s, w = np.asarray(scores), np.asarray(weights, dtype=float)
    p_pro, p_det = w[s >= 9].sum() / w.sum(), w[s <= 6].sum() / w.sum()
    n_eff = w.sum() ** 2 / (w**2).sum()
    return 100 * stats.norm.ppf(0.975) * math.sqrt((p_pro + p_det - (p_pro - p_det) ** 2) / n_eff)


def test_weighted_nps_takes_the_correction_only_when_given_a_frame():
    scores = [10] * 50 + [8] * 30 + [3] * 20
    weights = [1.5] * 50 + [1.0] * 30 + [0.5] * 20
    plain = nps_weighted(scores, weights)
    assert plain.population is None
    assert plain.margin == pytest.approx(_kish_half(scores, weights))
    framed = nps_weighted(scores, weights, population=1000)
    assert framed.population == 1000 and framed.to_dict()["population"] == 1000
    assert framed.value == pytest.approx(plain.value)
    assert framed.margin == pytest.approx(plain.margin * math.sqrt(900 / 999))
    census = nps_weighted(scores, weights, population=100)
    assert census.low == census.high == pytest.approx(census.value)
    with pytest.raises(ValueError, match="population"):
        nps_weighted(scores, weights, population=99)
