"""Representativeness, weights and composition effects on planted data."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import representativeness, weighting
from analysis.nps_intervals import nps_weighted
from analysis.simpson import standardized_change


def test_non_response_bias_is_found_and_fair_samples_pass():
    invited = {"tier": {"top": 100, "small": 900}, "channel": {"online": 500, "store": 500}}
    responded = {"tier": {"top": 60, "small": 180}, "channel": {"online": 121, "store": 119}}
    by_attr = {r.attribute: r for r in representativeness.check(invited, responded)}
    assert by_attr["tier"].biased
    assert not by_attr["channel"].biased
    top = next(c for c in by_attr["tier"].cells if c["key"] == "top")
    assert top["response_rate"] == pytest.approx(0.6)
    assert top["respondent_share"] == pytest.approx(0.25)


def test_raking_reproduces_known_margins():
    rng = np.random.default_rng(0)
    age = rng.choice(["young", "middle", "old"], 3000, p=[0.5, 0.3, 0.2])
    region = rng.choice(["north", "south"], 3000, p=[0.7, 0.3])
    margins = {"age": {"young": 0.3, "middle": 0.4, "old": 0.3}, "region": {"north": 0.45, "south": 0.55}}
    w = weighting.rake({"age": age, "region": region}, margins)
    assert w.converged
    for name, values in (("age", age), ("region", region)):
        for key, share in margins[name].items():
            assert w.weights[values == key].sum() / w.weights.sum() == pytest.approx(share, abs=1e-6)
    assert w.design_effect > 1
    assert w.weights.mean() == pytest.approx(1.0)


def test_post_stratification_and_kish():
    w = weighting.post_stratify(["a"] * 80 + ["b"] * 20, {"a": 50, "b": 50})
    assert w.weights[:80] == pytest.approx(0.625)
    assert w.weights[80:] == pytest.approx(2.5)
    # Kish: n_eff = (sum w)^2 / sum w^2 = 100^2 / (80 * 0.390625 + 20 * 6.25) = 64.
    assert w.effective_n == pytest.approx(64.0)
    with pytest.raises(ValueError, match="no respondents"):
        weighting.post_stratify(["a"], {"a": 1, "b": 1})


def test_weighted_nps_moves_to_the_population():
    scores = [10] * 80 + [0] * 20
    unweighted = nps_weighted(scores, [1.0] * 100)
    assert unweighted.value == pytest.approx(60.0)
    balanced = nps_weighted(scores, [0.625] * 80 + [2.5] * 20)
    assert balanced.value == pytest.approx(0.0)
    assert balanced.details["effective_n"] == pytest.approx(64.0)


def counts(pro, pas, det):
    return [det] + [0] * 6 + [pas, 0, pro, 0]


def test_simpson_reversal_is_found_on_a_planted_mix_shift():
    # Both channels improve, but answers move to the weaker channel, so the total falls. At
    # 5,000 answers a period both changes are beyond noise (at a quarter of that, store +6 and
    # online +8 give a like-for-like +7.1 with a 95% CI of -0.4 to +14.5: not yet a reversal).
    before = {"store": counts(2240, 960, 800), "online": counts(240, 400, 360)}
    after = {"store": counts(600, 220, 180), "online": counts(1320, 2160, 1520)}
    result = standardized_change(before, after)
    assert result.crude_change < -1
    assert result.adjusted_change > 1
    assert result.reversal and result.crude_high < 0 < result.adjusted_low
    assert {s["key"] for s in result.strata} == {"store", "online"}
    assert all(s["change"] > 0 for s in result.strata)
    assert "online went from" in result.explanation


def test_no_reversal_when_mix_is_stable():
    before = {"a": counts(50, 30, 20), "b": counts(40, 30, 30)}
    after = {"a": counts(55, 30, 15), "b": counts(45, 30, 25)}
    result = standardized_change(before, after)
    assert not result.reversal and not result.mix_shifted
    assert result.crude_change == pytest.approx(result.adjusted_change, abs=1)
