"""False alarms of the alert rules when nothing changes, each beside its target.

1. theme_share: a demo-sized grid (5 regions x 8 themes at 2-12% shares, 13 months, about
   22 or 60 comments per region-month) with no change anywhere, put through the rule's
   p-chart and size gates (feedback/services/insights/alerts/rules_theme.py) over its six
   months of lookback. Printed: the chance that at least one alert opens (the family-wise
   false-alarm rate), with Shewhart limits and with the p-chart's Laney option, with the 3-sigma
   rule alone and with the rule's Benjamini-Hochberg screen among each month's cells. Target:
   at most 5% a month with the screen (with no true signal the false discovery rate is the
   family-wise rate), so at most about 26% over six months; measured far below.
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
from feedback.services.insights.alerts import rules_theme

SHARES = (0.02, 0.03, 0.05, 0.05, 0.07, 0.08, 0.10, 0.12)


def theme_share_alarms(
    rng, *, laney: bool | None, per_month: int, months: int = 13, regions: int = 5, fdr: bool = True
) -> int:
    """Alerts opened in one lookback: points past 3 sigma and the size gates (``rules_theme.matters``),
    and, with ``fdr``, the rule's Benjamini-Hochberg screen among each month's cells."""
    tested: dict[str, list[float]] = {}
    candidates = []
    for _ in range(regions):
        ns = rng.poisson(per_month, months)
        for p in SHARES:
            ks = rng.binomial(ns, p)
            for point, k in zip(
                p_chart([str(i) for i in range(months)], ks, ns, laney=laney), ks, strict=False
            ):
                if int(point.period) < months - 6:
                    continue
                row = {**point.to_dict(), "k": int(k), "n": point.n}
                month = tested.setdefault(point.period, [])
                if point.signal == "above" and rules_theme.matters(row):
                    candidates.append((point.period, len(month)))
                month.append(rules_theme.upper_p(row))
    if not fdr:
        return len(candidates)
    kept = {period: rules_theme.screen(ps) for period, ps in tested.items()}
    return sum(kept[period][i] for period, i in candidates)


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
            for fdr in (False, True):
                runs = [
                    theme_share_alarms(rng, laney=laney, per_month=per_month, fdr=fdr)
                    for _ in range(args.runs)
                ]
                screen = f"3 sigma + Benjamini-Hochberg {rules_theme.FDR:g}" if fdr else "3 sigma alone"
                print(
                    f"theme_share, {name}, {screen}, ~{per_month} comments a region-month: "
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
