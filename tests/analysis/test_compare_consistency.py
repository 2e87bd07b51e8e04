"""compare() never contradicts itself: significant exactly when 0 lies outside the interval."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

import analysis
from analysis.compare import compare

SIZES = (5, 9, 17, 30, 55, 100, 200)
LEVELS = (0.8, 0.9, 0.95, 0.99)


def _excludes_zero(c) -> bool:
    return c.low > 0 or c.high < 0


def _ks(n: int, steps: int = 12) -> range:
    return range(0, n + 1, max(1, n // steps))


def test_the_reviewed_csat_example_no_longer_contradicts_itself():
    c = compare(analysis.proportion(0, 13), analysis.proportion(4, 13))
    # It was "p = 0.0297, significant" beside an interval of -53.66 to +0.32. Newcombe's
    # interval is -57.63 to -1.66 (statsmodels agrees) and its inverted p-value 0.040.
    assert c.significant == _excludes_zero(c)
    assert (c.low, c.high) == pytest.approx((-57.6307, -1.6579), abs=1e-4)
    assert c.p_value == pytest.approx(0.0400, abs=1e-4)
    assert c.significant


@pytest.mark.parametrize("confidence", LEVELS)
def test_proportions_test_agrees_with_interval_over_a_grid(confidence):
    disagreements = []
    for na in SIZES:
        for nb in SIZES:
            for ka in _ks(na):
                for kb in _ks(nb):
                    c = compare(
                        analysis.proportion(ka, na, confidence=confidence),
                        analysis.proportion(kb, nb, confidence=confidence),
                    )
                    if c.significant != _excludes_zero(c):
                        disagreements.append((ka, na, kb, nb, c.low, c.high, c.p_value))
    assert disagreements == []


def test_proportions_interval_matches_statsmodels_newcombe():
    for confidence in (0.9, 0.95, 0.99):
        for na in SIZES[::2]:
            for nb in SIZES[1::2]:
                for ka in _ks(na, 6):
                    for kb in _ks(nb, 6):
                        c = compare(
                            analysis.proportion(ka, na, confidence=confidence),
                            analysis.proportion(kb, nb, confidence=confidence),
                        )
                        ref = confint_proportions_2indep(
                            ka, na, kb, nb, method="newcomb", compare="diff", alpha=1 - confidence
                        )
                        assert (c.low / 100, c.high / 100) == pytest.approx(ref, abs=1e-6)


@pytest.mark.parametrize(("ka", "na", "kb", "nb"), [(0, 13, 4, 13), (30, 40, 18, 40), (7, 150, 1, 90)])
def test_the_p_value_is_the_level_at_which_zero_reaches_the_interval(ka, na, kb, nb):
    p = compare(analysis.proportion(ka, na), analysis.proportion(kb, nb)).p_value
    at_p = compare(
        analysis.proportion(ka, na, confidence=1 - p), analysis.proportion(kb, nb, confidence=1 - p)
    )
    assert min(abs(at_p.low), abs(at_p.high)) < 1e-6


def test_csat_and_response_rate_use_the_same_statistic():
    a = analysis.csat(counts=[1, 2, 3, 4, 10])
    b = analysis.csat(counts=[4, 4, 3, 2, 7])
    c = compare(a, b)
    assert c.significant == _excludes_zero(c)
    assert "Newcombe" in c.method
    r = compare(analysis.response_rate(40, 100), analysis.response_rate(25, 100))
    assert r.significant == _excludes_zero(r)


def _random_proportion_pairs(reps: int, seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(reps):
        na, nb = (int(x) for x in rng.integers(5, 201, 2))
        ka, kb = int(rng.integers(0, na + 1)), int(rng.integers(0, nb + 1))
        yield analysis.proportion(ka, na), analysis.proportion(kb, nb)


def test_random_proportion_pairs_never_disagree():
    bad = sum(
        compare(a, b).significant != _excludes_zero(compare(a, b))
        for a, b in _random_proportion_pairs(2000, 20240)
    )
    assert bad == 0


def test_means_with_no_spread_still_agree():
    # Every answer 7 against every answer 5: the interval is the single point +2, so it excludes 0.
    c = compare(analysis.ces([7] * 10), analysis.ces([5] * 12))
    assert (c.low, c.high) == (2.0, 2.0)
    assert c.significant and c.p_value == 0.0
    same = compare(analysis.ces([6] * 10), analysis.ces([6] * 12))
    assert not same.significant and same.p_value == 1.0


@pytest.mark.parametrize("confidence", LEVELS)
def test_means_agree_at_every_level(confidence):
    rng = np.random.default_rng(int(confidence * 100))
    for _ in range(300):
        a = analysis.ces(rng.integers(1, 8, int(rng.integers(2, 60))), confidence=confidence)
        b = analysis.ces(rng.integers(1, 8, int(rng.integers(2, 60))), confidence=confidence)
        c = compare(a, b)
        assert c.significant == _excludes_zero(c)


@pytest.mark.parametrize("confidence", LEVELS)
def test_nps_agrees_at_every_level(confidence):
    rng = np.random.default_rng(int(confidence * 1000))
    mix = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]
    for _ in range(300):
        a = analysis.nps(counts=rng.multinomial(int(rng.integers(5, 200)), mix), confidence=confidence)
        b = analysis.nps(counts=rng.multinomial(int(rng.integers(5, 200)), mix), confidence=confidence)
        c = compare(a, b)
        assert c.significant == _excludes_zero(c)
