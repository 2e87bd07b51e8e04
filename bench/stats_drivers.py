"""Driver importance by simulation: coverage and width of the bootstrap LMG interval, and its cost.

Three 1-5 ratings (quality and price correlated 0.5, delivery independent) drive a 0-10 score:
score = round(1.0 quality + 0.6 price + 0.2 delivery + N(0, 1.5^2) - 0.5), clipped to 0-10.
The population LMG shares come from one sample of 400,000. For each n it draws ``reps``
samples, runs ``analysis.drivers`` with the default 200 bootstrap draws, and prints how often
each 95% interval covers the population share, the mean width, and the time per call (the
ordinal model off, then on). Then it times the non-response floor's effect: for 10^3...10^6
invitations with response rates 33% against 30% (V about 0.03), how often the check rejects
and how often it warns.

Run: .venv/bin/python bench/stats_drivers.py [--reps 200] [--sizes 200,1000,5000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import representativeness
from analysis.drivers import drivers

NAMES = ("quality", "price", "delivery")


def sample(rng, n: int):
    z = rng.multivariate_normal([0, 0, 0], [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]], size=n)
    x = np.clip(np.round(3 + 1.2 * z), 1, 5)
    y = np.clip(np.round(x @ [1.0, 0.6, 0.2] + rng.normal(0, 1.5, n) - 0.5), 0, 10)
    return y, {name: x[:, i] for i, name in enumerate(NAMES)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--sizes", default="200,1000,5000")
    args = parser.parse_args()
    rng = np.random.default_rng(20)
    truth = {
        d.attribute: d.importance for d in drivers(*sample(rng, 400_000), bootstrap=0, ordinal=False).drivers
    }
    print("population shares:", {k: round(v, 3) for k, v in truth.items()})
    print(
        f"{'n':>6} "
        + " ".join(f"{name + ' cover/width':>22}" for name in NAMES)
        + f"{'s/call':>9}{'+ordinal':>10}"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        hits = dict.fromkeys(NAMES, 0)
        widths = dict.fromkeys(NAMES, 0.0)
        started = time.perf_counter()
        for rep in range(args.reps):
            result = drivers(*sample(rng, n), seed=rep, ordinal=False)
            for d in result.drivers:
                hits[d.attribute] += d.importance_low <= truth[d.attribute] <= d.importance_high
                widths[d.attribute] += d.importance_high - d.importance_low
        per_call = (time.perf_counter() - started) / args.reps
        started = time.perf_counter()
        for rep in range(5):
            drivers(*sample(rng, n), seed=rep)
        with_ordinal = (time.perf_counter() - started) / 5
        cells = " ".join(f"{hits[k] / args.reps:>13.3f} / {widths[k] / args.reps:.3f}" for k in NAMES)
        print(f"{n:>6} {cells}{per_call:>9.3f}{with_ordinal:>10.3f}")
    print("\nnon-response, rates 33% vs 30%:")
    for invited in (1_000, 10_000, 100_000, 1_000_000):
        rejected = warned = 0
        for _ in range(args.reps):
            half = invited // 2
            answered = {"a": int(rng.binomial(half, 0.33)), "b": int(rng.binomial(half, 0.30))}
            (check,) = representativeness.check({"x": {"a": half, "b": half}}, {"x": answered})
            rejected += check.significant
            warned += check.biased
        print(
            f"{invited:>9} invited: significant {rejected / args.reps:.3f}, warned {warned / args.reps:.3f}"
        )


if __name__ == "__main__":
    main()
