"""False alarms of the alert rules when nothing changes, each beside its target.

1. theme_share: a demo-sized grid (5 regions x 8 themes at 2-12% shares, 13 months, about
   22 or 60 comments per region-month) with no change anywhere, put through the rule's
   p-chart and size gates (feedback/services/insights/alerts/rules_theme.py) over its six
   months of lookback. Printed: the chance that at least one alert opens (the family-wise
   false-alarm rate), with Shewhart limits and with the p-chart's Laney option. No target:
   this is the figure docs/insights.md quotes.
2. drift: C in-control cells (weekly means with 10-60 observations) charted with
   analysis.ewma at L = width_for(C), read once at the latest week. Printed: the chance of
   any false alarm in a run. Target: at most 5% (the Šidák family rate), within
   simulation error.

    .venv/bin/python bench/alert_false_alarms.py [--runs 300] [--seed 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import ewma
from analysis.control import p_chart

SHARES = (0.02, 0.03, 0.05, 0.05, 0.07, 0.08, 0.10, 0.12)


def theme_share_alarms(rng, *, laney: bool | None, per_month: int, months: int = 13, regions: int = 5) -> int:
    hits = 0
    for _ in range(regions):
        ns = rng.poisson(per_month, months)
        for p in SHARES:
            ks = rng.binomial(ns, p)
            for point, k in zip(
                p_chart([str(i) for i in range(months)], ks, ns, laney=laney), ks, strict=False
            ):
                recent = int(point.period) >= months - 6
                gated = point.n >= 20 and k >= 5 and point.value >= max(point.centre + 10, 2 * point.centre)
                hits += recent and point.signal == "above" and gated
    return hits


def drift_alarms(rng, cells: int, weeks: int = 13) -> bool:
    width = ewma.width_for(cells)
    ns = rng.integers(10, 61, size=(cells, weeks))
    x = rng.standard_normal((cells, weeks)) / np.sqrt(ns)
    z, sd = ewma.statistic(x, ns, centre=0.0, sigma=1.0)
    return bool((z[:, -1] > width * sd[:, -1]).any())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for laney, name in ((False, "Shewhart"), (None, "Laney when overdispersed")):
        for per_month in (22, 60):
            runs = [theme_share_alarms(rng, laney=laney, per_month=per_month) for _ in range(args.runs)]
            print(
                f"theme_share, {name}, ~{per_month} comments a region-month: "
                f"P(any false alert in six months) = {np.mean([r > 0 for r in runs]):.2f}, "
                f"mean {np.mean(runs):.2f} a lookback"
            )
    for cells in (1, 20, 200):
        rate = np.mean([drift_alarms(rng, cells) for _ in range(max(args.runs, 2000))])
        print(
            f"drift, {cells} cells, L = {ewma.width_for(cells):.3f}: P(any false alarm a run) = {rate:.3f} (target <= 0.05)"
        )


if __name__ == "__main__":
    main()
