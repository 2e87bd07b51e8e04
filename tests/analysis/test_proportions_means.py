"""Proportions, CSAT and means against published values and independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

import analysis
from analysis.proportions import wilson_interval


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17, 857-872, Table I, method 3 (Wilson).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe(k, n, low, high):
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_agrees_with_statsmodels():
    for k, n in [(3, 10), (50, 120), (999, 1000)]:
        assert wilson_interval(k, n) == pytest.approx(proportion_confint(k, n, method="wilson"), abs=1e-10)


def test_wilson_with_a_census_has_no_width():
    assert wilson_interval(30, 100, population=100) == (0.3, 0.3)
    assert (
        wilson_interval(30, 100, population=120)[1] - wilson_interval(30, 100, population=120)[0]
        < wilson_interval(30, 100)[1] - wilson_interval(30, 100)[0]
    )


def test_csat_top_box_and_scale():
    e = analysis.csat(counts=[5, 5, 10, 40, 40])
    assert (e.value, e.n, e.details["satisfied"]) == (80.0, 100, 80)
    seven = analysis.csat(scores=[7, 6, 5, 1, 7], scale=7, top_box=2)
    assert seven.value == pytest.approx(60.0)
    with pytest.raises(ValueError, match="top_box"):
        analysis.csat(counts=[1, 1, 1, 1, 1], top_box=5)
    with pytest.raises(ValueError, match="5 entries"):
        analysis.csat(counts=[1, 1, 1])


def test_means_match_statsmodels_t_interval():
    rng = np.random.default_rng(4)
    scores = rng.integers(1, 8, size=57)
    e = analysis.ces(scores)
    low, high = DescrStatsW(scores).tconfint_mean(alpha=0.05)
    assert (e.value, e.low, e.high) == pytest.approx((scores.mean(), low, high))


def test_likert_gives_mean_and_top_box():
    mean, box = analysis.likert(counts=[2, 3, 5, 10, 5], scale=5)
    assert mean.value == pytest.approx((2 + 6 + 15 + 40 + 25) / 25)
    assert box.value == pytest.approx(60.0)


def test_response_rate():
    e = analysis.response_rate(320, 1000)
    assert e.value == pytest.approx(32.0)
    assert e.low < 32 < e.high
    with pytest.raises(ValueError, match="between 0 and invited"):
        analysis.response_rate(5, 3)
