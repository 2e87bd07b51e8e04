"""Rate-limit counters in the web process's memory, swept inside requests.

``limits``' MemoryStorage drops old counters from a ``threading.Timer`` that it starts
again, 10 ms ahead, whenever the last one has finished. Under steady traffic that is a new
thread on almost every request, and the request waits for the thread to be scheduled before
it can go on: a sixth of the time of a survey submission on a busy two-core server.

A counter that has run out is already dropped when it is next read
(``MemoryStorage.get``), so the sweep only frees the counters of clients that do not come
back. This storage keeps the library's counting and runs the library's own sweep inline, at
most once every ``SWEEP_SECONDS``, in the request that finds it due.

Selected with ``memory+lazy://`` (the default). Counters are per process, like
``memory://``; several app processes share limits only through a shared storage such as
``redis://``.
"""

from __future__ import annotations

import time
from typing import ClassVar

from limits.storage import MemoryStorage


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME: ClassVar[list[str]] = ["memory+lazy"]
    SWEEP_SECONDS: ClassVar[float] = 10.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + self.SWEEP_SECONDS

    # Replaces MemoryStorage's private scheduler, which every hit calls; the test suite checks
    # that a hit starts no thread, so a rename in ``limits`` cannot slip through unnoticed.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_SECONDS
        self._MemoryStorage__expire_events()
