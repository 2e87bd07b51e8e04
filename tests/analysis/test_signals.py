"""Drivers, control charts and gaming, on simulated data with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.control import ewma, nps_chart, p_chart
from analysis.drivers import CAUTION, drivers
from analysis.gaming import suspicious_segments


def test_drivers_recover_planted_effects_and_rank_them():
    rng = np.random.default_rng(2)
    n = 1500
    quality, price, packaging = (rng.integers(1, 6, n).astype(float) for _ in range(3))
    score = np.clip(1.2 * quality + 0.5 * price + 0.0 * packaging + rng.normal(0, 1.5, n) - 1, 0, 10)
    ratings = {"quality": quality, "price": price, "packaging": list(packaging)}
    ratings["packaging"][:40] = [None] * 40  # "don't know"
    result = drivers(score, ratings, outcome_name="nps score")
    by_name = {d.attribute: d for d in result.drivers}
    assert result.n == n - 40 and result.dropped == 40
    assert by_name["quality"].low < 1.2 < by_name["quality"].high * 1.05
    assert result.drivers[0].attribute == "quality"
    assert by_name["packaging"].p_value > 0.01
    assert sum(d.importance for d in result.drivers) == pytest.approx(1.0)
    assert result.caution == CAUTION and "not cause" in result.summary()


def test_lmg_equals_squared_correlation_shares_for_uncorrelated_predictors():
    rng = np.random.default_rng(9)
    a, b = rng.normal(size=5000), rng.normal(size=5000)
    y = 2 * a + 1 * b + rng.normal(size=5000)
    result = drivers(y, {"a": a, "b": b})
    share = {d.attribute: d.importance for d in result.drivers}
    assert share["a"] == pytest.approx(0.8, abs=0.02)  # 4 / (4 + 1)


def test_p_chart_limits_and_a_planted_drop():
    periods = [f"2026-{m:02d}" for m in range(1, 13)]
    totals = [400] * 12
    successes = [320] * 11 + [260]
    points = p_chart(periods, successes, totals)
    p = sum(successes) / sum(totals)
    assert points[0].upper == pytest.approx(100 * (p + 3 * (p * (1 - p) / 400) ** 0.5))
    assert [pt.signal for pt in points] == [None] * 11 + ["below"]


def test_in_control_series_rarely_alarms():
    rng = np.random.default_rng(1)
    mix = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]
    alarms = 0
    for _ in range(200):
        counts = [list(rng.multinomial(300, mix)) for _ in range(12)]
        alarms += sum(pt.signal is not None for pt in nps_chart([str(i) for i in range(12)], counts))
    assert alarms / (200 * 12) < 0.01  # 3-sigma limits: about 0.3% per point


def test_ewma_catches_a_small_sustained_shift():
    values = [50.0] * 10 + [53.0] * 10
    points = ewma([str(i) for i in range(20)], values, sigma=2.0, target=50.0)
    assert points[5].signal is None
    assert any(pt.signal == "above" for pt in points[10:])


def test_a_store_with_nearly_all_tens_is_flagged_and_honest_ones_are_not():
    rng = np.random.default_rng(8)
    mix = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]
    stores = {f"S{i}": list(rng.multinomial(150, mix)) for i in range(1, 8)}
    stores["S8"] = [0] * 10 + [140]
    stores["S8"][8] = 10
    flagged = [s.segment for s in suspicious_segments(stores)]
    assert flagged == ["S8"]
    honest = {f"S{i}": list(rng.multinomial(400, mix)) for i in range(10)}
    assert suspicious_segments(honest) == []
