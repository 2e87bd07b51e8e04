"""The gaming test's error rates, by seeded simulation: false alarms across identical stores, and power."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.gaming import suspicious_segments

MIX = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]  # NPS scores 0-10; 20% tens
ALPHA = 0.01


def _with_top_share(share: float) -> list[float]:
    """MIX with the share of tens set to ``share`` and the other scores scaled to fill the rest."""
    rest = np.asarray(MIX[:-1]) / sum(MIX[:-1]) * (1 - share)
    return [*rest.tolist(), share]


def _family_wise_rate(stores: int, n: int, reps: int, seed: int, share: float = 0.2) -> float:
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, _with_top_share(share), size=(reps, stores))
    flagged = 0
    for counts in draws:
        flagged += bool(suspicious_segments({f"S{i}": list(c) for i, c in enumerate(counts)}, alpha=ALPHA))
    return flagged / reps


@pytest.mark.parametrize(
    ("stores", "n", "share"),
    [
        (10, 50, 0.2),  # the review's case
        (5, 30, 0.2),  # the pooled-binomial test flagged 2.1% here
        (3, 50, 0.2),  # and 3.9% here: the fewer the stores, the noisier "the rest" is
        (3, 30, 0.05),  # rare top scores: 9% with few stores
    ],
)
def test_identical_stores_are_flagged_at_most_at_the_nominal_rate(stores, n, share):
    reps = 1200
    rate = _family_wise_rate(stores, n, reps, seed=stores * 1000 + n, share=share)
    noise = 3 * np.sqrt(ALPHA * (1 - ALPHA) / reps)  # three standard errors of a rate of 1%
    assert rate <= ALPHA + noise, rate


def test_a_store_with_a_real_excess_of_tens_is_flagged_with_good_power():
    """Nine stores at 20% tens and one at 50%, 50 answers each: caught about 88% of the time."""
    rng = np.random.default_rng(5)
    reps, caught, others = 300, 0, 0
    for _ in range(reps):
        stores = {f"S{i}": list(rng.multinomial(50, MIX)) for i in range(9)}
        stores["G"] = list(rng.multinomial(50, _with_top_share(0.5)))
        flagged = {s.segment for s in suspicious_segments(stores, alpha=ALPHA)}
        caught += "G" in flagged
        others += bool(flagged - {"G"})
    assert caught / reps >= 0.8
    assert others / reps <= 0.02


def test_a_few_tens_against_a_rest_with_none_is_not_proof():
    """The rest's share of tens is estimated, not known: 0 of 30 elsewhere does not make 3 of 30 damning."""
    stores = {"A": [0] * 9 + [27, 3], "B": [0] * 9 + [30, 0]}
    assert suspicious_segments(stores) == []


def test_the_suspect_carries_the_exact_test_and_its_holm_adjustment():
    rng = np.random.default_rng(3)
    stores = {f"S{i}": list(rng.multinomial(100, MIX)) for i in range(6)}
    stores["G"] = [0] * 8 + [5, 5, 90]
    [suspect] = suspicious_segments(stores)
    assert suspect.segment == "G" and suspect.n == 100 and suspect.top_share == 0.9
    assert suspect.p_value <= suspect.p_adjusted <= min(1.0, 7 * suspect.p_value)
    assert "Fisher" in suspect.method and "Holm" in suspect.method
    assert suspect.to_dict()["method"] == suspect.method


def test_p_values_are_fishers_exact_test_and_the_distribution_test_is_pearsons():
    rng = np.random.default_rng(11)
    stores = {f"S{i}": list(rng.multinomial(60, MIX)) for i in range(4)}
    stores["G"] = [1, 0, 0, 0, 1, 1, 2, 3, 5, 7, 40]
    [suspect] = suspicious_segments(stores, alpha=0.5)
    own = np.asarray(stores["G"])
    rest = sum(np.asarray(v) for k, v in stores.items() if k != "G")
    table = [[own[-1], own[:-1].sum()], [rest[-1], rest[:-1].sum()]]
    assert suspect.p_value == pytest.approx(stats.fisher_exact(table, alternative="greater").pvalue, rel=1e-9)
    both = np.vstack([own, rest])
    both = both[:, both.sum(axis=0) > 0]
    chi2_p = stats.chi2_contingency(both, correction=False).pvalue
    assert suspect.distribution_p == pytest.approx(chi2_p, rel=1e-9)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="alpha"):
        suspicious_segments({"A": [1, 2], "B": [2, 1]}, alpha=1.5)
    with pytest.raises(ValueError, match="top"):
        suspicious_segments({"A": [1, 2], "B": [2, 1]}, top=0)
