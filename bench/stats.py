"""The statistics, measured: every part in one run.

- bench/stats_intervals.py: exact coverage of every interval over the full grid;
- bench/stats_simpson.py: false alarms of the Simpson check, pure and overdispersed, and its
  power against a real reversal;
- bench/stats_gaming.py: the family-wise false-alarm rate of the gaming test across stores,
  and its power at a stated effect;
- bench/stats_overdispersion.py: false alarms of ``compare``, ``trend``, the NPS chart and the
  p-chart under pure and overdispersed sampling (2-4 NPS points of month-to-month variation),
  naive and adjusted side by side, the Simpson check and the gaming test under the same extra
  variation, and power at stated effects.

Run: .venv/bin/python bench/stats.py [intervals simpson gaming overdispersion]
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PARTS = ("intervals", "simpson", "gaming", "overdispersion")


def main(argv: list[str] | None = None) -> int:
    chosen = [p for p in (argv if argv is not None else sys.argv[1:]) if not p.startswith("-")] or list(PARTS)
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        print(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}", file=sys.stderr)
        return 2
    for part in chosen:
        print(f"\n=== {part} " + "=" * (60 - len(part)))
        start = time.perf_counter()
        importlib.import_module(f"stats_{part}").main([])
        print(f"({part}: {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
