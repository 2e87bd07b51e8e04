from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from analysis.tiers import abc, pyramid, revenue_in_one_currency


def test_pyramid_shares_on_a_known_table():
    revenue = np.arange(1000, 0, -1, dtype=float)  # 1000 customers, distinct revenues
    tiers = pyramid(revenue)
    assert Counter(tiers) == {"top": 10, "big": 40, "medium": 150, "small": 800}
    assert tiers[:10] == ["top"] * 10 and tiers[10] == "big" and tiers[-1] == "small"


def test_inactive_and_prospects():
    assert pyramid([0, 0, 5], ever_purchased=[True, False, True]) == ["inactive", "prospect", "top"]


def test_ties_share_a_tier():
    tiers = pyramid([100.0] * 3 + [1.0] * 97)
    assert len(set(tiers[:3])) == 1 and len(set(tiers[3:])) == 1


def test_abc_by_cumulative_revenue():
    assert abc([70, 20, 6, 4]) == ["A", "A", "B", "C"]
    assert abc([0, 0]) == ["C", "C"]


def test_bad_revenue():
    with pytest.raises(ValueError, match="non-negative"):
        pyramid([-1.0])


SHARES = (0.01, 0.05, 0.20)  # cumulative: top 1%, top 5%, top 20%
BANDS = ("top", "big", "medium", "small")


def _quotas(n: int) -> list[int]:
    """The documented band sizes without ties: band k ends at ceil(share_k * n), at least one past the
    previous band's end, never past n; the base takes the rest."""
    ends, previous = [], 0
    for share in SHARES:
        previous = min(n, max(math.ceil(round(share * n, 9)), previous + 1))
        ends.append(previous)
    starts = [0, *ends]
    return [end - start for start, end in zip(starts, [*ends, n], strict=True)]


def _revenue_with_ties(rng, n: int, distinct_values: int) -> np.ndarray:
    return rng.integers(1, distinct_values + 1, n).astype(float) * 10


def test_the_big_band_is_never_empty_when_there_are_two_or_more_customers():
    for n in range(2, 21):
        tiers = pyramid(np.arange(n, 0, -1, dtype=float))
        assert Counter(tiers)["big"] == 1, n
    assert pyramid([500, 0, 20, 10, 0], [True, True, True, True, False]) == [
        "top",
        "inactive",
        "big",
        "medium",
        "prospect",
    ]


def test_a_large_tie_at_the_top_goes_to_the_band_of_its_middle_rank():
    """30 of 100 tied at the top hold ranks 1-30; rank 15 is in the medium band (6-20), so all are medium."""
    tiers = pyramid([100.0] * 30 + list(np.arange(70, 0, -1, dtype=float)))
    assert Counter(tiers) == {"medium": 30, "small": 70}
    assert Counter(pyramid([100.0] * 3 + [1.0] * 97)) == {"big": 3, "small": 97}  # ranks 1-3: middle 2


def test_band_sizes_for_every_n_up_to_200():
    """Without ties each band is exactly its quota; with ties it exceeds it by less than one tie group."""
    rng = np.random.default_rng(12)
    for n in range(1, 201):
        quotas = _quotas(n)
        distinct = Counter(pyramid(np.arange(n, 0, -1, dtype=float)))
        assert [distinct[b] for b in BANDS] == quotas, n
        assert all(distinct[b] >= 1 for b in BANDS[: min(n, 3)]), n
        for values in (2, 3, 7, max(1, n // 4), n):
            revenue = _revenue_with_ties(rng, n, values)
            tiers = pyramid(revenue)
            band_of = {}
            for value, tier in zip(revenue, tiers, strict=True):
                assert band_of.setdefault(value, tier) == tier  # ties share a tier
            ranked = sorted(band_of, reverse=True)
            assert [BANDS.index(band_of[v]) for v in ranked] == sorted(
                BANDS.index(band_of[v]) for v in ranked
            )
            groups = Counter(revenue.tolist())
            for band, quota in zip(BANDS, quotas, strict=True):
                members = [v for v in groups if band_of[v] == band]
                size = sum(groups[v] for v in members)
                if members:
                    assert size <= quota + max(groups[v] for v in members) - 1, (n, values, band)


def test_revenue_in_several_currencies_is_not_summed_as_if_it_were_one():
    with pytest.raises(ValueError, match=r"EUR, USD"):
        revenue_in_one_currency({"USD": [10.0, 0.0], "EUR": [0.0, 30.0]})
    assert revenue_in_one_currency({"USD": [10.0, 5.0]}).tolist() == [10.0, 5.0]
    converted = revenue_in_one_currency(
        {"USD": [10.0, 0.0], "EUR": [2.0, 30.0]}, rates={"USD": 1, "EUR": 1.1}
    )
    assert converted.tolist() == pytest.approx([12.2, 33.0])
    with pytest.raises(ValueError, match="no exchange rate for EUR"):
        revenue_in_one_currency({"USD": [1.0], "EUR": [1.0]}, rates={"USD": 1})
    with pytest.raises(ValueError, match="rates"):
        revenue_in_one_currency({"USD": [1.0]}, rates={"USD": -1})
    with pytest.raises(ValueError, match="same number of customers"):
        revenue_in_one_currency({"USD": [1.0], "EUR": [1.0, 2.0]})
