from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from analysis.tiers import abc, pyramid


def test_pyramid_shares_on_a_known_table():
    revenue = np.arange(1000, 0, -1, dtype=float)  # 1000 customers, distinct revenues
    tiers = pyramid(revenue)
    assert Counter(tiers) == {"top": 10, "big": 40, "medium": 150, "small": 800}
    assert tiers[:10] == ["top"] * 10 and tiers[10] == "big" and tiers[-1] == "small"


def test_inactive_and_prospects():
    assert pyramid([0, 0, 5], ever_purchased=[True, False, True]) == ["inactive", "prospect", "top"]


def test_ties_share_a_tier():
    tiers = pyramid([100.0] * 3 + [1.0] * 97)
    assert tiers[:3] == ["top"] * 3


def test_abc_by_cumulative_revenue():
    assert abc([70, 20, 6, 4]) == ["A", "A", "B", "C"]
    assert abc([0, 0]) == ["C", "C"]


def test_bad_revenue():
    with pytest.raises(ValueError, match="non-negative"):
        pyramid([-1.0])
