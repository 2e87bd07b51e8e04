"""The Simpson check: an interval on the like-for-like change, and a reversal only beyond noise."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.simpson import standardized_change

# Per-answer shares (promoters, passives, detractors): "gold" has NPS +70, "basic" NPS 0.
GOLD = (0.75, 0.20, 0.05)
BASIC = (0.30, 0.40, 0.30)
REPS = 600
# Flag rate allowed under no within-stratum change: 5% plus two simulation standard errors.
NOISE_LIMIT = 0.05 + 2 * (0.05 * 0.95 / REPS) ** 0.5


def nps_counts(pro, pas, det):
    """A length-11 count vector with promoters at 10, passives at 8 and detractors at 0."""
    return [det] + [0] * 7 + [pas, 0, pro]


def draw(rng, n, gold_share, gold=GOLD, basic=BASIC):
    """One period of ``n`` answers: the stratum sizes and the answers are multinomial."""
    n_gold = rng.binomial(n, gold_share)
    return {
        "gold": nps_counts(*rng.multinomial(n_gold, gold)),
        "basic": nps_counts(*rng.multinomial(n - n_gold, basic)),
    }


@pytest.mark.parametrize("n", [200, 5000])
def test_no_change_within_strata_is_rarely_called_a_reversal(n):
    # The mix moves from 50% to 20% gold; neither stratum changes. The crude change is real
    # (about -21 points), the like-for-like change is zero, so a reversal is a false alarm.
    rng = np.random.default_rng(20240611 + n)
    results = [standardized_change(draw(rng, n, 0.5), draw(rng, n, 0.2)) for _ in range(REPS)]
    flagged = np.mean([r.reversal for r in results])
    assert flagged <= NOISE_LIMIT, flagged
    # The interval of the like-for-like change covers the truth (zero) about 95% of the time.
    covered = np.mean([r.adjusted_low <= 0 <= r.adjusted_high for r in results])
    assert covered == pytest.approx(0.95, abs=0.03)
    # The mix shift itself is seen nearly every time at n = 200 and always at n = 5,000.
    assert np.mean([r.mix_shifted for r in results]) >= 0.9


def test_the_delta_method_standard_error_matches_simulation():
    rng = np.random.default_rng(7)
    results = [standardized_change(draw(rng, 1000, 0.5), draw(rng, 1000, 0.2)) for _ in range(REPS)]
    sd = np.std([r.adjusted_change for r in results], ddof=1)
    se = np.mean([(r.adjusted_high - r.adjusted_low) / (2 * 1.959964) for r in results])
    assert se == pytest.approx(sd, rel=0.1)


def test_the_reviewers_example_is_a_mix_shift_within_noise():
    # Gold 70 -> 68 and basic 0 -> +3 while gold falls from 50% to 20% of 500 answers a period.
    before = {"gold": nps_counts(185, 55, 10), "basic": nps_counts(75, 100, 75)}
    after = {"gold": nps_counts(74, 20, 6), "basic": nps_counts(126, 160, 114)}
    result = standardized_change(before, after)
    assert result.crude_change == pytest.approx(16.0 - 35.0)
    assert result.crude_high < 0  # the overall fall is real
    assert result.adjusted_change == pytest.approx(0.35 * -2 + 0.65 * 3, abs=0.01)
    assert result.adjusted_low < 0 < result.adjusted_high
    assert not result.reversal
    assert result.mix_shifted and result.finding == "mix_shift"
    assert "not distinguishable from zero" in result.explanation
    assert "gold -2.0" in result.explanation and "basic +3.0" in result.explanation
    assert "gold went from 50% to 20%" in result.explanation
    assert "reversal" not in result.summary().lower()
    json.dumps(result.to_dict())  # plain JSON, no numpy types


def test_a_stable_mix_is_not_a_finding():
    before = {"a": nps_counts(50, 30, 20), "b": nps_counts(40, 30, 30)}
    after = {"a": nps_counts(55, 30, 15), "b": nps_counts(45, 30, 25)}
    result = standardized_change(before, after)
    assert not result.reversal and not result.mix_shifted and result.finding is None


def test_a_real_reversal_is_found_most_of_the_time():
    # Both strata gain 6 points while the mix moves from 50% to 20% gold: a real reversal.
    gold_up, basic_up = (0.78, 0.20, 0.02), (0.33, 0.40, 0.27)
    rng = np.random.default_rng(11)
    found = [
        standardized_change(draw(rng, 5000, 0.5), draw(rng, 5000, 0.2, gold_up, basic_up)).reversal
        for _ in range(200)
    ]
    assert np.mean(found) >= 0.8


# Bickel, Hammel & O'Connell (1975), Science 187, 398-404: the six largest departments of the
# Berkeley graduate division, autumn 1973 (R's UCBAdmissions). (rejected, admitted) per department.
BERKELEY_MEN = {
    "A": (313, 512),
    "B": (207, 353),
    "C": (205, 120),
    "D": (279, 138),
    "E": (138, 53),
    "F": (351, 22),
}
BERKELEY_WOMEN = {
    "A": (19, 89),
    "B": (8, 17),
    "C": (391, 202),
    "D": (244, 131),
    "E": (299, 94),
    "F": (317, 24),
}


def test_berkeley_admissions_is_flagged_as_a_reversal():
    from analysis.simpson import percent

    # "before" men, "after" women: overall women are admitted 14 points less often (30.4% against
    # 44.5%), department by department they are admitted more often, weighting by applicants.
    result = standardized_change(BERKELEY_MEN, BERKELEY_WOMEN, value=percent)
    assert result.crude_change == pytest.approx(100 * (557 / 1835 - 1198 / 2691))
    assert result.crude_high < 0 < result.adjusted_low
    assert result.reversal and result.finding == "reversal"
    assert "A +20.3" in result.explanation and "E -3.8" in result.explanation


# Charig et al. (1986), BMJ 292, 879-882: success of open surgery (A) and percutaneous
# nephrolithotomy (B) by stone size, as (failures, successes).
KIDNEY_A = {"small": (6, 81), "large": (71, 192)}
KIDNEY_B = {"small": (36, 234), "large": (25, 55)}


def test_kidney_stones_show_the_mix_shift_and_both_directions():
    from analysis.simpson import percent

    result = standardized_change(KIDNEY_B, KIDNEY_A, value=percent)
    assert result.crude_change == pytest.approx(100 * (273 - 289) / 350)
    assert result.adjusted_change > 0 > result.crude_change  # the reversal in the point estimates
    assert result.mix_shifted  # small stones: 77% of B's patients, 25% of A's
    # Neither 78% against 83% overall (n = 350 each, p = 0.13) nor the like-for-like +5.4 points
    # (p = 0.11) is beyond noise at 95%, so at 95% it is reported as a mix shift; it is flagged as
    # a reversal once the confidence asked for is low enough to call both changes real.
    assert not result.reversal and result.finding == "mix_shift"
    assert 0.05 < result.crude_p < 0.2 and 0.05 < result.adjusted_p < 0.2
    assert "small +6.4" in result.explanation and "large +4.3" in result.explanation
    assert standardized_change(KIDNEY_B, KIDNEY_A, value=percent, confidence=0.8).reversal


def test_another_metric_gets_a_bootstrap_interval():
    def mean_score(counts):
        c = np.asarray(counts, dtype=float)
        return float((c * np.arange(len(c))).sum() / c.sum())

    before = {"a": [10, 20, 30, 40, 50], "b": [50, 40, 30, 20, 10]}
    after = {"a": [5, 10, 15, 20, 25], "b": [100, 80, 60, 40, 20]}
    result = standardized_change(before, after, value=mean_score)
    assert result.adjusted_change == pytest.approx(0.0, abs=1e-9)
    assert result.adjusted_low < 0 < result.adjusted_high
    assert "bootstrap" in result.method


def test_bad_arguments_name_themselves():
    before = {"a": nps_counts(5, 5, 5), "b": nps_counts(5, 5, 5)}
    with pytest.raises(ValueError, match="confidence"):
        standardized_change(before, before, confidence=1.5)
    with pytest.raises(ValueError, match="two strata"):
        standardized_change({"a": nps_counts(5, 5, 5)}, {"a": nps_counts(5, 5, 5)})
