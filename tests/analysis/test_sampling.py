"""Sample sizes and margins against published calculators (Cochran's formulas)."""

from __future__ import annotations

import pytest

from analysis import margin_of_error, minimum_detectable_difference, sample_size
from analysis.sampling import invitations_needed


@pytest.mark.parametrize(("population", "expected"), [(500_000, 384), (1_000, 278), (100, 80), (None, 385)])
def test_sample_size_at_five_points_95(population, expected):
    assert sample_size(5, population=population) == expected


def test_other_published_sizes():
    assert sample_size(3) == 1068  # +-3 points, infinite population
    assert sample_size(5, confidence=0.99) == 664
    assert sample_size(5, population=10_000, confidence=0.99) == 623


def test_the_brief_example_is_three_points_not_zero_confidence():
    # 1,000 answers out of 500,000: about +-3.1 points at 95%, not "near-zero confidence".
    assert margin_of_error(1000, population=500_000) == pytest.approx(3.1, abs=0.01)


def test_nps_worst_case_and_mix():
    assert margin_of_error(400, metric="nps") == pytest.approx(9.8, abs=0.01)
    assert sample_size(5, metric="nps") == 1537
    typical = sample_size(5, metric="nps", mix=(0.5, 0.2))
    assert typical < 1537
    assert margin_of_error(typical, metric="nps", mix=(0.5, 0.2)) <= 5


def test_size_and_margin_are_inverse():
    for margin in (2, 4.5, 10):
        n = sample_size(margin, population=20_000)
        assert margin_of_error(n, population=20_000) <= margin < margin_of_error(n - 1, population=20_000)


def test_mdd_and_invitations():
    assert minimum_detectable_difference(500, metric="nps") == pytest.approx(17.72, abs=0.01)
    assert minimum_detectable_difference(1000, 4000) < minimum_detectable_difference(1000)
    assert invitations_needed(384, 25) == 1536


@pytest.mark.parametrize(
    "bad",
    [
        {"margin": 0},
        {"margin": 5, "metric": "mean"},
        {"margin": 5, "p": 2},
        {"margin": 5, "metric": "nps", "mix": (0.8, 0.5)},
    ],
)
def test_bad_arguments(bad):
    with pytest.raises(ValueError):  # noqa: PT011
        sample_size(**bad)
