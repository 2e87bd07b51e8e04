"""False alarms and power under overdispersion: naive (pure multinomial) against adjusted.

A year of 12 monthly NPS samples (25% detractors, 30% passives, 45% promoters: NPS +20),
each month's true NPS moved by N(0, sd^2) points (half to promoters, half from
detractors), sd = 0 (pure multinomial), 2, 3 or 4 points. For each series:

- compare: the last month against the one before (``analysis.compare``), and the same
  comparison with each variance times the series' dispersion ratio (``dispersion.widen``)
  when the rule finds the 12 months overdispersed (as the results' ``overdispersion_adjusted``);
- trend: the slope over the 12 months, z test (``overdispersion="none"``) against the
  automatic rule (quasi-likelihood when the Pearson test says so);
- NPS chart: any of the 12 months outside Shewhart's 3-sigma limits, and outside the
  automatic (Laney when overdispersed) limits;
- p-chart: a theme's share of comments (10%, 400 comments a month), moved by N(0, sd^2)
  percentage points, sd = 0, 1, 1.5, 2.

Power at stated effects: NPS +5 points in the last month (compare) or +5 points spread
linearly over the year (trend) at n = 400 a month; one month with twice the share of
delivery complaints (10% -> 20%) on the p-chart. The Simpson check (bench/stats_simpson.py)
and the gaming test (bench/stats_gaming.py) are run here under month-level and store-level
extra variation.

Run: .venv/bin/python bench/stats_overdispersion.py [--reps 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # stats_simpson
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # before bench/, whose analysis.py is a bench

import analysis
from analysis import dispersion
from analysis.control import nps_chart, p_chart
from analysis.gaming import suspicious_segments

MIX = np.array([0.25, 0.30, 0.45])  # detractors, passives, promoters
MONTHS = 12
PERIODS = [f"2026-{m:02d}" for m in range(1, MONTHS + 1)]
NPS_SDS = (0.0, 2.0, 3.0, 4.0)
SHARE, COMMENTS, SHARE_SDS = 0.10, 400, (0.0, 1.0, 1.5, 2.0)


def months(rng, n: int, sd: float, lift: np.ndarray | None = None) -> list[list[int]]:
    """12 months of NPS counts; ``lift`` adds planted NPS points per month."""
    shift = rng.normal(0.0, sd, MONTHS) if sd else np.zeros(MONTHS)
    if lift is not None:
        shift = shift + lift
    p = np.tile(MIX, (MONTHS, 1))
    p[:, 0] -= shift / 200
    p[:, 2] += shift / 200
    p = np.clip(p, 0, None)
    draws = rng.multinomial(n, p / p.sum(axis=1, keepdims=True))
    return [[int(d)] + [0] * 6 + [int(pa), 0, int(pr), 0] for d, pa, pr in draws]


def nps_cell(rng, n: int, sd: float, reps: int, lift=None) -> np.ndarray:
    """Rates: compare naive, adjusted; trend naive, auto; NPS chart Shewhart, auto."""
    hits = np.zeros(6)
    for _ in range(reps):
        counts = months(rng, n, sd, lift)
        est = [analysis.nps(counts=c) for c in counts]
        found = dispersion.nps(counts)
        c = analysis.compare(est[-1], est[-2])
        hits[0] += c.significant
        hits[1] += (dispersion.widen(c, found) if found.overdispersed else c).significant
        hits[2] += analysis.trend(est, overdispersion="none").significant
        hits[3] += analysis.trend(est).significant
        hits[4] += any(p.signal for p in nps_chart(PERIODS, counts, laney=False))
        hits[5] += any(p.signal for p in nps_chart(PERIODS, counts))
    return hits / reps


def share_cell(rng, sd: float, reps: int, double_last: bool = False) -> np.ndarray:
    """Rates: any month flagged above (Shewhart, auto); or the doubled last month flagged."""
    hits = np.zeros(2)
    for _ in range(reps):
        p = np.clip(SHARE + rng.normal(0.0, sd, MONTHS) / 100, 0.001, 0.999)
        if double_last:
            p[-1] = 2 * SHARE + (p[-1] - SHARE)
        k = rng.binomial(COMMENTS, p).tolist()
        for j, laney in enumerate((False, None)):
            chart = p_chart(PERIODS, k, [COMMENTS] * MONTHS, laney=laney)
            flags = [pt.signal == "above" for pt in chart]
            hits[j] += flags[-1] if double_last else any(flags)
    return hits / reps


def gaming_fwer(rng, sd: float, reps: int, stores: int = 10, n: int = 200) -> float:
    """Share of reports flagging any honest store; stores' share of tens varies by sd points."""
    base = np.array([0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2])
    flagged = 0
    for _ in range(reps):
        top = np.clip(0.2 + rng.normal(0.0, sd, stores) / 100, 0.01, 0.99)
        counts = {}
        for s, t in enumerate(top):
            p = np.append(base[:-1] / base[:-1].sum() * (1 - t), t)
            counts[s] = rng.multinomial(n, p).tolist()
        flagged += bool(suspicious_segments(counts))
    return flagged / reps


def _pct(x: float) -> str:
    return f"{x:6.1%}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    reps = args.reps
    started = time.perf_counter()
    noise = 1.96 * (0.05 * 0.95 / reps) ** 0.5
    print(f"False alarms, {reps} simulated years of {MONTHS} months per row (nominal 5%, +-{noise:.1%}).")
    print(f"{dispersion.RULE}.\n")
    print(
        "| n/month | extra sd (NPS pts) | compare naive | adjusted | trend naive | auto | NPS chart Shewhart | auto |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in (400, 1000):
        for sd in NPS_SDS:
            r = nps_cell(rng, n, sd, reps)
            print(f"| {n} | {sd:g} | " + " | ".join(_pct(x) for x in r) + " |")
    print(
        "\n(NPS chart: share of years with any month outside the limits; 12 x 0.27% = 3.2% is Shewhart's own rate.)"
    )

    print(
        f"\np-chart of a theme's share ({SHARE:.0%}, {COMMENTS} comments a month): years with a month above.\n"
    )
    print("| extra sd (pct pts) | Shewhart | auto (Laney when overdispersed) |")
    print("|---|---|---|")
    for sd in SHARE_SDS:
        r = share_cell(rng, sd, reps)
        print(f"| {sd:g} | {_pct(r[0])} | {_pct(r[1])} |")

    print("\nPower at stated effects (n = 400 a month).\n")
    print("| effect | extra sd | naive | adjusted / auto |")
    print("|---|---|---|---|")
    jump = np.zeros(MONTHS)
    jump[-1] = 5.0
    ramp = np.linspace(0.0, 5.0, MONTHS)
    for sd in (0.0, 3.0):
        r = nps_cell(rng, 400, sd, reps // 2, lift=jump)
        print(f"| compare: last month +5 NPS | {sd:g} pts | {_pct(r[0])} | {_pct(r[1])} |")
        r = nps_cell(rng, 400, sd, reps // 2, lift=ramp)
        print(f"| trend: +5 NPS over the year | {sd:g} pts | {_pct(r[2])} | {_pct(r[3])} |")
    for sd in (0.0, 1.5):
        r = share_cell(rng, sd, reps, double_last=True)
        print(f"| p-chart: delivery share 10% -> 20% | {sd:g} pct pts | {_pct(r[0])} | {_pct(r[1])} |")

    import stats_simpson

    print(
        "\nSimpson check (n = 1,000 a period, no change within strata) and gaming test (10 stores x 200).\n"
    )
    print("| check | pure | +3 pts month-level / store-level | same, declared (Simpson: extra_variance) |")
    print("|---|---|---|---|")
    simpson_reps = max(reps // 2, 50)
    _, pure = stats_simpson.rates(1000, simpson_reps, 7)
    _, wild = stats_simpson.rates(1000, simpson_reps, 8, month_sd=3.0)
    _, declared = stats_simpson.rates(1000, simpson_reps, 8, month_sd=3.0, declared=True)
    print(f"| Simpson reversal flagged (95%) | {_pct(pure)} | {_pct(wild)} | {_pct(declared)} |")
    g0, g3 = gaming_fwer(rng, 0.0, reps // 2), gaming_fwer(rng, 3.0, reps // 2)
    print(f"| gaming: any honest store flagged (alpha 1%) | {_pct(g0)} | {_pct(g3)} | not modelled |")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
