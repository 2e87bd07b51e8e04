"""The default rate-limit storage counts like limits' MemoryStorage without a thread per hit."""

from __future__ import annotations

import threading
import time

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from feedback.ratelimit_storage import SweptMemoryStorage


def test_the_app_counts_in_swept_memory_by_default(app):
    from feedback.extensions import limiter

    assert app.config["RATELIMIT_STORAGE_URI"] == "memory+lazy://"
    with app.app_context():
        assert isinstance(limiter.storage, SweptMemoryStorage)


def test_hits_start_no_thread(monkeypatch):
    swept = FixedWindowRateLimiter(storage_from_string("memory+lazy://"))
    plain = FixedWindowRateLimiter(MemoryStorage())
    plain.storage.timer = threading.Timer(0, lambda: None)  # as if its last timer had run
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    for _ in range(5):
        swept.hit(parse("3 per minute"), "client", "page")
    assert started == []
    # The library's own storage starts one, which is what this storage exists to avoid.
    plain.hit(parse("3 per minute"), "client", "page")
    assert len(started) == 1, "limits' MemoryStorage no longer starts a timer; SweptMemoryStorage can go"


@pytest.mark.parametrize("uri", ["memory+lazy://", "memory://"])
def test_limits_hold_and_windows_reset(uri, monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    limiter = FixedWindowRateLimiter(storage_from_string(uri))
    limit = parse("3 per minute")
    assert [limiter.hit(limit, "a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "b")  # other clients keep their own count
    clock[0] += 61
    assert limiter.hit(limit, "a")  # a new window


def test_counters_of_clients_that_never_return_are_swept_when_due(monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    limit = parse("3 per second")
    for client in range(50):
        limiter.hit(limit, f"client-{client}")
    clock[0] += 5  # every counter has run out
    limiter.hit(limit, "early")
    assert len(storage.storage) == 51  # the sweep is not due yet
    storage._next_sweep = 0.0
    limiter.hit(limit, "newcomer")
    assert sorted(k.split("/")[1] for k in storage.storage) == ["early", "newcomer"]
