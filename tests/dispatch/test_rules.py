"""Rule details: quiet hours in the customer's zone, reproducible sampling, filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedback.services.dispatch.scheduling import quiet_adjusted, sample_draw


@pytest.mark.parametrize(
    ("utc", "zone", "expected"),
    [
        ("2026-11-02T20:00:00", "Asia/Tehran", "2026-11-03T05:30:00"),  # 23:30 in Tehran -> 09:00 next day
        ("2026-11-02T10:00:00", "Asia/Tehran", "2026-11-02T10:00:00"),  # 13:30, not quiet
        ("2026-11-03T03:00:00", "Europe/London", "2026-11-03T09:00:00"),  # 03:00 -> 09:00 same day
        ("2026-11-02T21:30:00", "UTC", "2026-11-03T09:00:00"),
    ],
)
def test_quiet_hours_move_to_the_morning(utc, zone, expected):
    moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert quiet_adjusted(moment, zone, "21:00", "09:00") == datetime.fromisoformat(expected).replace(
        tzinfo=UTC
    )


def test_sampling_is_reproducible_and_uniform():
    draws = [sample_draw("seed", f"order-{i}") for i in range(20_000)]
    assert draws[:3] == [sample_draw("seed", f"order-{i}") for i in range(3)]
    assert sample_draw("other", "order-1") != draws[1]
    assert sum(d < 0.3 for d in draws) / len(draws) == pytest.approx(0.3, abs=0.015)
