"""Effect sizes against scipy and textbook values, and the practical floor on non-response."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats.contingency import association

from analysis import effects, representativeness


@pytest.mark.parametrize("seed", range(6))
def test_cramers_v_matches_scipy_on_random_tables(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 6)))
    table = rng.integers(1, 400, size=shape)
    assert effects.cramers_v(table) == pytest.approx(association(table, method="cramer"), rel=1e-10)


def test_bias_corrected_v_follows_bergsma_and_shrinks_noise_to_zero():
    table = np.array([[12, 8, 10], [9, 11, 10]])
    n, r, c = table.sum(), 2, 3
    phi2 = association(table, method="cramer") ** 2 * (min(r, c) - 1)
    # Bergsma (2013), eq. (2) and (3), written out here independently.
    phi2c = max(0.0, phi2 - (r - 1) * (c - 1) / (n - 1))
    rc, cc = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    expected = math.sqrt(phi2c / min(rc - 1, cc - 1))
    assert effects.cramers_v(table, bias_corrected=True) == pytest.approx(expected)
    # Under independence the plain V sits above zero on average; the corrected one much less so.
    rng = np.random.default_rng(4)
    draws = [rng.multinomial(60, [1 / 6] * 6).reshape(2, 3) for _ in range(300)]
    plain = np.mean([effects.cramers_v(t) for t in draws])
    corrected = np.mean([effects.cramers_v(t, bias_corrected=True) for t in draws])
    assert corrected < plain / 2


def test_cohens_h_published_values_and_sign():
    # Cohen (1988), table 6.2.1: phi(0.5) - phi(0.25) = 1.5708 - 1.0472 = 0.5236.
    assert effects.cohens_h(0.5, 0.25) == pytest.approx(0.5236, abs=1e-4)
    assert effects.cohens_h(0.25, 0.5) == pytest.approx(-0.5236, abs=1e-4)
    assert effects.cohens_h(0.3, 0.3) == 0
    with pytest.raises(ValueError, match="p1"):
        effects.cohens_h(1.2, 0.3)


def test_cohens_d_from_counts_equals_d_on_the_expanded_scores():
    a, b, scores = [3, 5, 9, 4, 1], [6, 8, 5, 2, 1], [1, 2, 3, 4, 5]
    xa, xb = np.repeat(scores, a), np.repeat(scores, b)
    pooled = math.sqrt(
        ((len(xa) - 1) * xa.var(ddof=1) + (len(xb) - 1) * xb.var(ddof=1)) / (len(xa) + len(xb) - 2)
    )
    assert effects.cohens_d(a, b, scores) == pytest.approx((xa.mean() - xb.mean()) / pooled)


def test_contrasts_name_their_measure_and_floor():
    nps_a, nps_b = [5] * 7 + [10, 10, 30, 30], [10] * 7 + [10, 10, 20, 20]
    e = effects.contrast("nps", nps_a, nps_b)
    groups = [effects.nps_groups(nps_a), effects.nps_groups(nps_b)]
    assert e.name == "cramers_v" and e.value == pytest.approx(association(groups, method="cramer"))
    assert e.to_dict()["floor"] == 0.1 and e.practical == (e.value >= 0.1)
    h = effects.contrast("csat", [10, 90], [30, 70], satisfied=(90, 70))
    assert h.name == "cohens_h" and h.value == pytest.approx(effects.cohens_h(0.9, 0.7))
    assert effects.contrast("ces", [1, 2, 3], [3, 2, 1], scores=[1, 2, 3], floor=5).practical is False
    with pytest.raises(ValueError, match="satisfied"):
        effects.contrast("csat", [1, 2], [2, 1])
    assert effects.practical(-0.3, 0.2) and not effects.practical(math.nan, 0.0)


def _invited_responded(n: int, rates: tuple[float, float]):
    invited = {"tier": {"top": n // 2, "small": n // 2}}
    responded = {"tier": {"top": int(n // 2 * rates[0]), "small": int(n // 2 * rates[1])}}
    return invited, responded


def test_a_huge_sample_with_a_trivial_difference_is_significant_but_not_biased():
    invited, responded = _invited_responded(200_000, (0.33, 0.30))
    (check,) = representativeness.check(invited, responded)
    assert check.p_adjusted < 1e-6 and check.significant
    assert check.cramers_v == pytest.approx(0.032, abs=0.003)
    assert not check.biased
    assert "below the 0.05 floor" in check.summary()
    (strict,) = representativeness.check(invited, responded, min_effect=0.0)
    assert strict.biased  # with no floor, significance alone decides, as before


def test_a_real_difference_passes_the_floor():
    invited, responded = _invited_responded(2_000, (0.50, 0.30))
    (check,) = representativeness.check(invited, responded)
    assert check.cramers_v == pytest.approx(0.2, abs=0.02)
    assert check.significant and check.biased
