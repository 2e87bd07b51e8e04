"""The Simpson check by simulation: false alarms when nothing changed within strata, and power.

Two strata, "gold" (NPS +70: 75% promoters, 20% passives, 5% detractors) and "basic" (NPS 0:
30/40/30), with the mix moving from 50% gold in the first period to 20% gold in the second, so
the crude NPS falls by about 21 points while neither stratum changes. Each period is six months
of answers. For each n (answers per period) it prints how often a reversal is flagged:

- old rule: opposite signs, each at least 1 point, and most answers in strata moving with the
  like-for-like change (the check before the interval; the baseline);
- new rule: the crude and the like-for-like change both beyond noise at 95% and of opposite sign;
- with pure multinomial sampling, with month-level extra variation (each stratum-month's NPS
  moved by N(0, 3^2) points), and with that variation declared through ``extra_variance``;
- and the power of both rules for a stated real reversal: both strata gain 5 points
  (gold 70 -> 75, basic 0 -> 5) under the same mix shift, so like for like +5 and crude -16.

Run: .venv/bin/python bench/stats_simpson.py [--reps 1000] [--sizes 200,1000,5000,20000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.simpson import standardized_change

GOLD, BASIC = (0.75, 0.20, 0.05), (0.30, 0.40, 0.30)
GOLD_UP, BASIC_UP = (0.775, 0.20, 0.025), (0.325, 0.40, 0.275)  # +5 points each
MIX_BEFORE, MIX_AFTER = 0.5, 0.2
MONTHS, MONTH_SD = 6, 3.0


def _counts(pro: int, pas: int, det: int) -> list[int]:
    return [int(det)] + [0] * 7 + [int(pas), 0, int(pro)]


def _stratum(rng, n: int, shares, month_sd: float) -> list[int]:
    if month_sd == 0:
        return _counts(*rng.multinomial(n, shares))
    total = np.zeros(3, dtype=np.int64)
    for m in rng.multinomial(n, [1 / MONTHS] * MONTHS):
        shift = rng.normal(0.0, month_sd) / 200  # half to promoters, half from detractors
        pro, pas, det = shares
        p = np.clip([pro + shift, pas, det - shift], 0, None)
        total += rng.multinomial(m, p / p.sum())
    return _counts(*total)


def period(rng, n: int, gold_share: float, gold=GOLD, basic=BASIC, month_sd: float = 0.0) -> dict:
    n_gold = rng.binomial(n, gold_share)
    return {
        "gold": _stratum(rng, n_gold, gold, month_sd),
        "basic": _stratum(rng, n - n_gold, basic, month_sd),
    }


def old_rule(r) -> bool:
    """The check as it was: opposite signs of at least 1 point and a majority of answers agreeing."""
    total = sum(s["n"] for s in r.strata)
    agreeing = sum(
        s["n"] for s in r.strata if s["change"] and np.sign(s["change"]) == np.sign(r.adjusted_change)
    )
    return bool(
        min(abs(r.crude_change), abs(r.adjusted_change)) >= 1
        and np.sign(r.crude_change) != np.sign(r.adjusted_change)
        and agreeing > total / 2
    )


def rates(n: int, reps: int, seed: int, *, real: bool = False, month_sd: float = 0.0, declared: bool = False):
    rng = np.random.default_rng(seed)
    after_shares = (GOLD_UP, BASIC_UP) if real else (GOLD, BASIC)
    extra = MONTH_SD**2 / MONTHS if declared else 0.0
    old = new = 0
    for _ in range(reps):
        r = standardized_change(
            period(rng, n, MIX_BEFORE, month_sd=month_sd),
            period(rng, n, MIX_AFTER, *after_shares, month_sd=month_sd),
            extra_variance=extra,
        )
        old += old_rule(r)
        new += r.reversal
    return old / reps, new / reps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--sizes", default="200,1000,5000,20000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    half_width = 1.96 * (0.05 * 0.95 / args.reps) ** 0.5
    print(f"Simpson check, {args.reps} simulated pairs of periods per cell; mix 50% -> 20% gold.")
    print(f"False alarms: no change within strata (target <= 5%, +-{half_width:.1%} simulation noise).")
    print("Power: both strata +5 points, a real reversal.\n")
    header = (
        f"{'n/period':>9} | {'false alarms, multinomial':^25} | {'false alarms, +3 pts/month':^26} | "
        f"{'new, declared':^13} | {'power, real reversal':^21}"
    )
    print(header)
    print(
        f"{'':>9} | {'old':>7} {'new':>7} {'ratio':>9} | {'old':>8} {'new':>8} {'':>8} | "
        f"{'new':>13} | {'old':>10} {'new':>10}"
    )
    print("-" * len(header))
    for i, n in enumerate(sizes):
        old0, new0 = rates(n, args.reps, 1 + i)
        old1, new1 = rates(n, args.reps, 101 + i, month_sd=MONTH_SD)
        _, new2 = rates(n, args.reps, 101 + i, month_sd=MONTH_SD, declared=True)
        old3, new3 = rates(n, args.reps, 201 + i, real=True)
        ratio = f"{new0 / old0:.2f}x" if old0 else "-"
        print(
            f"{n:>9} | {old0:>7.1%} {new0:>7.1%} {ratio:>9} | {old1:>8.1%} {new1:>8.1%} {'':>8} | "
            f"{new2:>13.1%} | {old3:>10.1%} {new3:>10.1%}"
        )
    print(
        f"\nold: opposite signs >= 1 point, majority agreeing; new: both changes beyond noise (95%), "
        f"opposite signs.\ndeclared: extra_variance = {MONTH_SD:g}^2 / {MONTHS} months per stratum and period."
        f"\n{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
