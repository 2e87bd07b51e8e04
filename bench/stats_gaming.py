"""Error rates of the gaming test (`analysis.gaming.suspicious_segments`), by seeded simulation.

For 5, 10 and 20 identical stores with 30, 50 and 200 answers each (NPS scores, 20% tens),
it prints the family-wise false-alarm rate (the share of simulated reports in which any
store is flagged) at alpha = 0.01, its ratio to alpha, and the power to flag one store
whose share of tens is 50% instead of 20%. Beside each it prints the baseline: the test
used before, a one-sided binomial test of each store against the pooled rate of the
others taken as known, with the same Holm adjustment.

Run: .venv/bin/python bench/stats_gaming.py [--reps 2000] [--power-reps 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.gaming import suspicious_segments  # noqa: E402
from analysis.multiple import holm  # noqa: E402

ALPHA = 0.01
MIX = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]  # 20% tens
GAMED_SHARE = 0.5  # the stated effect: one store at 50% tens against 20%
STORES, SIZES = (5, 10, 20), (30, 50, 200)


def with_top_share(share: float) -> list[float]:
    rest = np.asarray(MIX[:-1]) / sum(MIX[:-1]) * (1 - share)
    return [*rest.tolist(), share]


def baseline_flags(counts: np.ndarray) -> set[int]:
    """The old test: binomial against the others' pooled share of tens, as if it were known."""
    n = counts.sum(axis=1)
    tens = counts[:, -1]
    rest_share = np.clip((tens.sum() - tens) / (n.sum() - n), 1e-9, 1 - 1e-9)
    reject, _ = holm(stats.binom.sf(tens - 1, n, rest_share), ALPHA)
    return set(np.flatnonzero(reject).tolist())


def current_flags(counts: np.ndarray) -> set[int]:
    return {s.segment for s in suspicious_segments(dict(enumerate(counts.tolist())), alpha=ALPHA)}


def simulate(stores: int, n: int, reps: int, rng, gamed: bool) -> tuple[float, float]:
    """Share of reports flagging any store (identical stores) or the gamed store 0 (gamed=True)."""
    honest = rng.multinomial(n, MIX, size=(reps, stores))
    if gamed:
        honest[:, 0] = rng.multinomial(n, with_top_share(GAMED_SHARE), size=reps)
    hits = np.zeros(2)
    for counts in honest:
        for j, flags in enumerate((current_flags(counts), baseline_flags(counts))):
            hits[j] += (0 in flags) if gamed else bool(flags)
    return hits[0] / reps, hits[1] / reps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000, help="simulated reports per false-alarm cell")
    parser.add_argument("--power-reps", type=int, default=1000, help="simulated reports per power cell")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    noise = 2 * np.sqrt(ALPHA * (1 - ALPHA) / args.reps)
    print(
        f"Gaming test at alpha = {ALPHA}: Fisher's exact test + Holm (now) against the pooled binomial "
        f"test + Holm (before).\n{args.reps} reports per false-alarm cell (two standard errors at 1%: "
        f"±{noise:.4f}); power for one store at {GAMED_SHARE:.0%} tens against 20%, "
        f"{args.power_reps} reports per cell.\n"
    )
    header = (
        f"{'stores':>6} {'n':>4} | {'FWER now':>8} {'/alpha':>6} | {'FWER before':>11} {'/alpha':>6} | "
        f"{'power now':>9} {'power before':>12}"
    )
    print(header)
    print("-" * len(header))
    started = time.perf_counter()
    for stores in STORES:
        for n in SIZES:
            fwer_now, fwer_before = simulate(stores, n, args.reps, rng, gamed=False)
            power_now, power_before = simulate(stores, n, args.power_reps, rng, gamed=True)
            print(
                f"{stores:>6} {n:>4} | {fwer_now:>8.4f} {fwer_now / ALPHA:>6.2f} | "
                f"{fwer_before:>11.4f} {fwer_before / ALPHA:>6.2f} | {power_now:>9.3f} {power_before:>12.3f}"
            )
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
