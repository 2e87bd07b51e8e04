"""Exact coverage of every interval in analysis/, by enumerating every possible sample.

For each interval and each n it prints the minimum and the mean coverage over a grid
of true values, and where the minimum is. Nothing is simulated: the coverage at a
true value is the sum of the probabilities of the samples whose interval contains it.

- NPS (``analysis.nps`` with ``adjusted-wald``, ``wald`` and ``tango``): every
  trinomial outcome (promoters, passives, detractors) of n answers, over the 231
  mixes (p_promoter, p_detractor) on a 0.05 grid with p_promoter + p_detractor <= 1.
- Proportions (``analysis.proportion``, ``csat``, ``response_rate``: Wilson): every
  binomial outcome, over p = 0.001 ... 0.999 in steps of 0.001.
- Difference of two proportions (``analysis.compare`` on two proportions, Newcombe's
  method 10), equal n in both groups: every pair of binomial outcomes, over
  (p_a, p_b) on a 0.05 grid.

Means (``mean_score``, ``ces``: Student t) are left out: their coverage depends on the
whole distribution of the scores, not on one or two parameters, so there is no grid
to enumerate over. ``nps_weighted`` is the Wald interval on Kish's effective n.

Run: .venv/bin/python bench/stats_intervals.py [--sizes 10,20,30,50,100]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import stats
from scipy.special import gammaln, xlogy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import analysis
from analysis.proportions import wilson_interval

SIZES = (10, 20, 30, 50, 100)
NPS_METHODS = ("adjusted-wald", "wald", "tango")
STEP = 0.05
TOL = 1e-9  # a true value on a limit counts as covered (closed intervals)


def nps_mixes(step: float = STEP) -> list[tuple[float, float, float]]:
    """(p_promoter, p_passive, p_detractor) on a grid: 231 mixes at a step of 0.05."""
    m = round(1 / step)
    return [(i / m, (m - i - j) / m, j / m) for i in range(m + 1) for j in range(m + 1 - i)]


def nps_coverage(n: int, method: str, mixes: list[tuple[float, float, float]]) -> np.ndarray:
    """Exact coverage of ``analysis.nps(method=...)`` at each mix, over every trinomial outcome."""
    outcomes = [(pro, det) for pro in range(n + 1) for det in range(n + 1 - pro)]
    limits = np.array([_nps_limits(pro, n - pro - det, det, method) for pro, det in outcomes])
    pro, det = np.array(outcomes).T
    pas = n - pro - det
    out = np.empty(len(mixes))
    log_coef = gammaln(n + 1) - gammaln(pro + 1) - gammaln(pas + 1) - gammaln(det + 1)
    for i, (p_pro, p_pas, p_det) in enumerate(mixes):
        prob = np.exp(log_coef + xlogy(pro, p_pro) + xlogy(pas, p_pas) + xlogy(det, p_det))
        true = 100 * (p_pro - p_det)
        inside = (limits[:, 0] <= true + TOL) & (true - TOL <= limits[:, 1])
        out[i] = (prob * inside).sum()
    return out


def _nps_limits(pro: int, pas: int, det: int, method: str) -> tuple[float, float]:
    counts = [det] + [0] * 6 + [pas, 0, pro, 0]
    e = analysis.nps(counts=counts, method=method)
    return e.low, e.high


def wilson_coverage(n: int, grid: np.ndarray) -> np.ndarray:
    """Exact coverage of the Wilson interval (``analysis.proportion``) at each p."""
    limits = np.array([wilson_interval(k, n) for k in range(n + 1)])
    pmf = stats.binom.pmf(np.arange(n + 1)[None, :], n, grid[:, None])
    inside = (limits[None, :, 0] <= grid[:, None] + TOL) & (grid[:, None] - TOL <= limits[None, :, 1])
    return (pmf * inside).sum(axis=1)


def newcombe_coverage(n: int, pairs: list[tuple[float, float]]) -> np.ndarray:
    """Exact coverage of ``analysis.compare`` on two proportions of n each, at each (p_a, p_b)."""
    low = np.empty((n + 1, n + 1))
    high = np.empty((n + 1, n + 1))
    estimates = [analysis.proportion(k, n) for k in range(n + 1)]
    for ka, a in enumerate(estimates):
        for kb, b in enumerate(estimates):
            c = analysis.compare(a, b)
            low[ka, kb], high[ka, kb] = c.low, c.high
    ks = np.arange(n + 1)
    out = np.empty(len(pairs))
    for i, (pa, pb) in enumerate(pairs):
        prob = np.outer(stats.binom.pmf(ks, n, pa), stats.binom.pmf(ks, n, pb))
        true = 100 * (pa - pb)
        out[i] = (prob * ((low <= true + TOL) & (true - TOL <= high))).sum()
    return out


def _row(name: str, n: int, cover: np.ndarray, where: Callable[[int], str]) -> str:
    i = int(np.argmin(cover))
    below = float(np.mean(cover < 0.935))
    return f"| {name:<27} | {n:>4} | {cover.min():.3f} | {cover.mean():.3f} | {below:6.1%} | {where(i):<22} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()

    mixes = nps_mixes()
    p_grid = np.round(np.arange(1, 1000) / 1000, 3)
    pairs = [(i / 20, j / 20) for i in range(21) for j in range(21)]

    print(f"Exact coverage of the 95% intervals ({len(mixes)} NPS mixes, {len(p_grid)} values of p,")
    print(f"{len(pairs)} pairs for differences); 'below' is the share of the grid under 93.5%.\n")
    print("| interval                    |    n |  min | mean |  below | minimum at             |")
    print("|---|---|---|---|---|---|")
    for method in NPS_METHODS:
        for n in sizes:
            cover = nps_coverage(n, method, mixes)
            print(_row(f"NPS {method}", n, cover, lambda i: f"pro {mixes[i][0]:.2f}, det {mixes[i][2]:.2f}"))
    inner = (p_grid >= 0.05) & (p_grid <= 0.95)
    for n in sizes:
        cover = wilson_coverage(n, p_grid)
        print(_row("proportion Wilson", n, cover, lambda i: f"p = {p_grid[i]:.3f}"))
        print(_row("  Wilson, .05 <= p <= .95", n, cover[inner], lambda i: f"p = {p_grid[inner][i]:.3f}"))
    for n in sizes:
        cover = newcombe_coverage(n, pairs)
        print(
            _row(
                "compare: Newcombe (na = nb)",
                n,
                cover,
                lambda i: f"pa {pairs[i][0]:.2f}, pb {pairs[i][1]:.2f}",
            )
        )
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
