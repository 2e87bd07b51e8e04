"""Weighted estimates: linearised variances against a jackknife, textbook formulas and simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import analysis
from analysis import weighted, weighting
from analysis.simpson import standardized_change as unweighted_change
from analysis.weighted_simpson import standardized_change


def jackknife(y, w):
    """Delete-one jackknife (JK1) variance of the ratio sum(w y) / sum(w)."""
    y, w = np.asarray(y, float), np.asarray(w, float)
    n = y.size
    leave_out = ((w * y).sum() - w * y) / (w.sum() - w)
    return (n - 1) / n * ((leave_out - leave_out.mean()) ** 2).sum()


def sample(seed, n=400):
    rng = np.random.default_rng(seed)
    w = rng.lognormal(0, 0.6, n)
    scores = np.clip(np.round(7 + 1.2 * np.log(w) + rng.normal(0, 2, n)), 0, 10).astype(int)
    return scores, w


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_linearised_variance_of_a_mean_and_a_proportion_agree_with_the_jackknife(seed):
    scores, w = sample(seed)
    for y in (scores.astype(float), (scores >= 9).astype(float)):
        r = weighted.linearise(y, w)
        # JK1 and linearisation agree to O(1/n): within 2% at n = 400.
        assert r.variance == pytest.approx(jackknife(y, w), rel=0.02)


def test_nps_variance_is_the_variance_of_its_linearised_variable():
    scores, w = sample(4)
    e = weighted.nps(scores, w)
    y = (scores >= 9).astype(float) - (scores <= 6).astype(float)
    value = np.average(y, weights=w)
    assert e.value == pytest.approx(100 * value)
    u = w * (y - value) / w.sum()
    # n/(n-1) sum (u - ubar)^2, with ubar = 0, is n times the sample variance of u.
    assert e.se**2 == pytest.approx(1e4 * u.size * np.var(u, ddof=1))
    assert e.se**2 == pytest.approx(1e4 * jackknife(y, w), rel=0.02)
    assert e.n_effective == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert e.to_dict()["weighted"] is True and e.to_dict()["n_effective"] == round(e.n_effective, 1)


def test_equal_weights_reproduce_the_unweighted_variances_up_to_n_over_n_minus_1():
    rng = np.random.default_rng(5)
    nps_scores, csat_scores, ces_scores = (
        rng.integers(0, 11, 250),
        rng.integers(1, 6, 250),
        rng.integers(1, 8, 250),
    )
    ones, n = np.ones(250), 250
    plain = analysis.nps(counts=np.bincount(nps_scores, minlength=11), method="wald")
    assert weighted.nps(nps_scores, ones).se ** 2 == pytest.approx(plain.se**2 * n / (n - 1))
    assert weighted.nps(nps_scores, ones).value == pytest.approx(plain.value)
    top = analysis.csat(csat_scores)
    assert weighted.csat(csat_scores, ones).se ** 2 == pytest.approx(top.se**2 * n / (n - 1))
    # The mean's t interval already divides by n - 1: the two variances are equal.
    assert weighted.ces(ces_scores, ones).se == pytest.approx(analysis.ces(ces_scores).se)


def test_strata_give_the_textbook_stratified_variance():
    rng = np.random.default_rng(6)
    sizes, population = (120, 60, 20), (5000, 3000, 2000)
    y = [rng.normal(mu, sd, n) for mu, sd, n in zip((3, 5, 6), (1, 2, 1.5), sizes, strict=True)]
    w = np.concatenate([np.full(n, big / n) for n, big in zip(sizes, population, strict=True)])
    strata = np.repeat(["a", "b", "c"], sizes)
    e = weighted.weighted_mean(np.concatenate(y), w, strata=strata)
    shares = np.array(population) / sum(population)
    # Cochran (1977), eq. 5.6 without the finite population correction.
    expected = sum(s**2 * np.var(v, ddof=1) / v.size for s, v in zip(shares, y, strict=True))
    assert e.se**2 == pytest.approx(expected)
    assert e.value == pytest.approx(sum(s * v.mean() for s, v in zip(shares, y, strict=True)))


def test_counts_stand_for_repeated_rows():
    scores, w = sample(7, 60)
    keys, index, counts = np.unique(
        np.stack([scores, np.round(w, 1)]), axis=1, return_inverse=True, return_counts=True
    )
    grouped = weighted.nps(keys[0].astype(int), keys[1], counts=counts)
    expanded = weighted.nps(keys[0].astype(int)[index.ravel()], keys[1][index.ravel()])
    assert grouped.value == pytest.approx(expanded.value)
    assert grouped.se == pytest.approx(expanded.se)
    assert grouped.n == expanded.n == 60


def test_linearised_interval_covers_under_unequal_probability_sampling():
    rng = np.random.default_rng(8)
    size = rng.lognormal(0, 1, 20_000)
    happy = rng.random(20_000) < 1 / (1 + np.exp(-(0.8 * np.log(size) - 0.2)))
    truth, n, hits = happy.mean(), 400, 0
    p = size / size.sum()
    draws = 1000
    for _ in range(draws):
        i = rng.choice(size.size, n, p=p)  # with replacement, probability proportional to size
        e = weighted.weighted_mean(happy[i].astype(float), 1 / p[i])
        hits += e.low <= truth <= e.high
    assert hits / draws >= 0.93


def test_weighted_compare_holds_its_false_alarm_rate_and_agrees_with_its_interval():
    rng = np.random.default_rng(9)
    alarms = 0
    for _ in range(400):
        a, b = (rng.integers(0, 11, 300) for _ in range(2))
        wa, wb = rng.lognormal(0, 0.5, 300), rng.lognormal(0, 0.5, 300)
        c = analysis.compare(weighted.nps(a, wa), weighted.nps(b, wb))  # dispatched on ``weighted``
        assert c.significant == (not c.low <= 0 <= c.high)
        alarms += c.significant
    # Binomial(400, 0.05): 20 expected; above 33 has probability below 0.3%.
    assert alarms <= 33 and stats.binom.cdf(alarms, 400, 0.05) > 0.001
    assert "independent samples" in c.method


def test_trimming_caps_keeps_the_total_and_reports_what_it_did():
    w = np.array([1.0] * 90 + [2.0] * 8 + [30.0, 60.0])
    t = weighting.trim(w, cap=5)
    assert t.weights.sum() == pytest.approx(w.sum())
    assert t.weights.max() <= 5 * np.median(w) + 1e-9
    assert t.trimmed == 2
    assert t.moved == pytest.approx((30 + 60 - 2 * 5) / w.sum())
    untouched = w <= 5
    assert np.allclose(t.weights[untouched] / w[untouched], t.weights[0] / w[0])  # spread in proportion
    grouped = weighting.trim([1.0, 2.0, 30.0, 60.0], cap=5, counts=[90, 8, 1, 1])
    assert grouped.weights.tolist() == pytest.approx([t.weights[0], t.weights[90], 5.0, 5.0])
    assert grouped.trimmed == 2
    # Spreading the excess can lift a weight over the cap: it is cut too, and counted.
    cascade = weighting.trim([1.0] * 90 + [4.0] * 8 + [30.0, 60.0], cap=5)
    assert cascade.trimmed == 10 and cascade.weights.max() == pytest.approx(5.0)
    assert cascade.weights.sum() == pytest.approx(90 + 32 + 90)
    with pytest.raises(ValueError, match="cap"):
        weighting.trim(w, cap=1)


def test_raking_with_a_cap_moves_weight_to_cells_that_share_the_margins():
    cells = {"tier": ["top", "top", "small", "small"], "channel": ["web", "phone", "web", "phone"]}
    counts = np.array([150, 2, 250, 100])
    margins = {"tier": {"top": 35, "small": 65}, "channel": {"web": 50, "phone": 50}}
    loose = weighting.rake(cells, margins, counts=counts)
    capped = weighting.rake(cells, margins, counts=counts, cap=3)
    limit = 3 * float(np.median(np.repeat(loose.weights, counts)))
    assert loose.weights[1] > limit  # two phone customers of the top tier carry 7 times the rest
    assert capped.cap_met and capped.weights.max() <= limit * (1 + 1e-6)
    assert (counts * capped.weights).sum() == pytest.approx(counts.sum())
    for name, values in cells.items():
        for key, target in margins[name].items():
            share = (counts * capped.weights)[np.array(values) == key].sum() / counts.sum()
            assert share == pytest.approx(target / 100, abs=1e-6)
    assert capped.trimmed == 2
    assert capped.moved == pytest.approx(
        np.abs(counts * (capped.weights - loose.weights)).sum() / 2 / counts.sum()
    )
    assert capped.trimming()["rule"] == "at most 3 times the median weight"
    assert capped.method.endswith("trimmed at 3 times the median weight")
    assert loose.effective_n == pytest.approx(weighting.kish_effective_n(np.repeat(loose.weights, counts)))


def test_a_cap_the_margins_cannot_meet_keeps_the_margins_and_says_so():
    # One raking variable: every respondent of a tier has the same weight, so none can take
    # over what is cut from another; trimming would only miss the tier's share.
    capped = weighting.rake({"tier": ["a", "b"]}, {"tier": {"a": 50, "b": 50}}, counts=[95, 5], cap=5)
    assert not capped.cap_met and capped.trimmed == 0 and capped.moved == 0
    assert capped.weights.tolist() == pytest.approx([50 / 95, 10.0])
    assert capped.margin_error < 1e-9 and capped.largest == pytest.approx(10 / (50 / 95))
    assert "cannot hold with the margins" in capped.method


def test_weighted_simpson_with_equal_weights_matches_the_unweighted_check():
    def expand(counts):
        scores = np.repeat(np.arange(11), counts)
        return scores, np.ones(scores.size)

    before = {"gold": [10] + [0] * 7 + [55, 0, 185], "basic": [75] + [0] * 7 + [100, 0, 75]}
    after = {"gold": [6] + [0] * 7 + [20, 0, 74], "basic": [114] + [0] * 7 + [160, 0, 126]}
    plain = unweighted_change(before, after)
    w = standardized_change(
        {k: expand(v) for k, v in before.items()}, {k: expand(v) for k, v in after.items()}
    )
    assert w.crude_change == pytest.approx(plain.crude_change)
    assert w.adjusted_change == pytest.approx(plain.adjusted_change)
    assert w.finding == plain.finding
    # Linearised against Rocks-adjusted multinomial variances: close at these n.
    assert w.adjusted_high - w.adjusted_low == pytest.approx(
        plain.adjusted_high - plain.adjusted_low, rel=0.05
    )


def test_weights_move_the_like_for_like_mix():
    scores = np.array([10, 0])
    before = {"a": (scores, [1.0, 1.0], [80, 20]), "b": (scores, [3.0, 3.0], [20, 80])}
    after = {"a": (scores, [1.0, 1.0], [90, 10]), "b": (scores, [3.0, 3.0], [30, 70])}
    r = standardized_change(before, after)
    share_a = (100 + 100) / (100 + 300 + 100 + 300)  # weight totals: a 100 + 100, b 300 + 300
    assert r.adjusted_change == pytest.approx(share_a * 20 + (1 - share_a) * 20)
    crude_before = (60 + 3 * -60) / 400
    crude_after = (80 + 3 * -40) / 400
    assert r.crude_change == pytest.approx(100 * (crude_after - crude_before))
    assert r.strata[1]["share_before"] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: weighted.nps([10, 9], [1.0]), "equal length"),
        (lambda: weighted.nps([10, 11], [1.0, 1.0]), "from 0 to 10"),
        (lambda: weighted.nps([10, 9], [1.0, -1.0]), "non-negative"),
        (lambda: weighted.nps([10], [1.0]), "two answers"),
        (lambda: weighted.csat([5, 4], [1, 1], scale=5, top_box=5), "top_box"),
        (lambda: weighted.weighted_mean([1.0, math.nan], [1, 1]), "finite"),
        (lambda: weighted.nps([10, 9], [1.0, 1.0], strata=["a"]), "one stratum per row"),
    ],
)
def test_bad_input_is_a_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
