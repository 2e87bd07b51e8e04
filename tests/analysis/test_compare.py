"""Changes and comparisons: calibrated p-values, multiple testing, trends."""

from __future__ import annotations

import numpy as np
import pytest

import analysis
from analysis.compare import adjust, compare, trend

MIX = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]


@pytest.mark.parametrize("n", [80, 400])
def test_false_alarm_rate_near_five_percent_for_nps(n):
    rng = np.random.default_rng(n)
    reps = 2000
    hits = sum(
        compare(
            analysis.nps(counts=rng.multinomial(n, MIX)), analysis.nps(counts=rng.multinomial(n, MIX))
        ).significant
        for _ in range(reps)
    )
    assert 0.035 <= hits / reps <= 0.065


def test_false_alarm_rate_for_csat_and_means():
    rng = np.random.default_rng(7)
    reps = 2000
    csat = sum(
        compare(
            analysis.csat(counts=rng.multinomial(90, [0.1, 0.1, 0.2, 0.3, 0.3])),
            analysis.csat(counts=rng.multinomial(140, [0.1, 0.1, 0.2, 0.3, 0.3])),
        ).significant
        for _ in range(reps)
    )
    ces = sum(
        compare(analysis.ces(rng.integers(1, 8, 60)), analysis.ces(rng.integers(1, 8, 45))).significant
        for _ in range(reps)
    )
    assert 0.035 <= csat / reps <= 0.065
    assert 0.035 <= ces / reps <= 0.065


def test_a_real_change_is_found_and_the_interval_covers_it():
    rng = np.random.default_rng(3)
    better = [0.03, 0.01, 0.02, 0.02, 0.03, 0.04, 0.05, 0.12, 0.2, 0.18, 0.3]
    c = compare(
        analysis.nps(counts=rng.multinomial(2000, better)), analysis.nps(counts=rng.multinomial(2000, MIX))
    )
    true_diff = 100 * ((0.48 - 0.2) - (0.35 - 0.31))
    assert c.significant
    assert c.low < true_diff < c.high


def test_multiple_comparisons_are_corrected():
    rng = np.random.default_rng(11)
    reps, any_holm, any_raw = 300, 0, 0
    for _ in range(reps):
        base = analysis.nps(counts=rng.multinomial(3000, MIX))
        comps = [compare(analysis.nps(counts=rng.multinomial(150, MIX)), base) for _ in range(10)]
        any_raw += any(c.significant for c in comps)
        any_holm += any(c.significant for c in adjust(comps, method="holm"))
    assert any_raw / reps > 0.25  # ten uncorrected tests: about 1 - 0.95^10 = 40% false alarms
    assert any_holm / reps < 0.08
    bh = adjust(comps, method="fdr_bh")
    assert all(c.p_adjusted >= c.p_value for c in bh)


def test_trend_over_periods():
    rng = np.random.default_rng(5)
    flat = [analysis.nps(counts=rng.multinomial(300, MIX)) for _ in range(8)]
    assert trend(flat).periods == 8
    rising = []
    for i in range(8):
        shift = np.array(MIX) * 1.0
        shift[10] += 0.02 * i
        shift[0] -= 0.005 * i
        shift = shift / shift.sum()
        rising.append(analysis.nps(counts=rng.multinomial(3000, shift)))
    t = trend(rising)
    assert t.significant and t.slope > 0


def test_cannot_compare_different_metrics():
    with pytest.raises(ValueError, match="cannot compare"):
        compare(analysis.nps([9, 10, 3]), analysis.csat([5, 4, 1]))


def test_holm_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    from analysis.multiple import holm

    rng = np.random.default_rng(0)
    for _ in range(50):
        p = rng.uniform(0, 0.2, size=rng.integers(1, 30))
        reject, adjusted = holm(p, 0.05)
        ref_reject, ref_adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
        assert reject.tolist() == ref_reject.tolist()
        assert adjusted == pytest.approx(ref_adjusted)
