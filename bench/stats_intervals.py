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

- Difference of two NPS (``analysis.compare`` on two NPS: z on Rocks' adjusted counts),
  equal n in both groups: every pair of trinomial outcomes, over every pair of mixes on a
  0.1 grid (66 x 66).
- Means (``mean_score``, ``ces``, ``likert``: Student t) on a 5-point scale: every
  multinomial outcome, over the 1,001 distributions of the five shares on a 0.1 grid.
  (A 7-point scale has the same interval; its grid is too large to enumerate.)

These two enumerate with the interval's formula in numpy, after checking it against the
package's own function on a random subset of outcomes (to 1e-9). ``nps_weighted`` is the
Wald interval on Kish's effective n: its coverage depends on the weights, see bench/weights.py.

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
SMALL_SIZES = (10, 20, 30)  # pairs of trinomials and 5-point multinomials grow fast
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


def _simplex(parts: int, step: float) -> np.ndarray:
    """Every vector of ``parts`` shares on a grid of ``step`` that sums to 1."""
    m = round(1 / step)
    grid = [c for c in np.ndindex(*(m + 1,) * (parts - 1)) if sum(c) <= m]
    return np.array([[*c, m - sum(c)] for c in grid]) / m


def _outcomes(n: int, parts: int) -> np.ndarray:
    """Every count vector of ``parts`` cells summing to n."""
    return np.round(_simplex(parts, 1 / n) * n).astype(np.int64)


def _log_pmf(outcomes: np.ndarray, mixes: np.ndarray) -> np.ndarray:
    """log multinomial probability, outcomes x mixes."""
    n = outcomes[0].sum()
    coef = gammaln(n + 1) - gammaln(outcomes + 1).sum(axis=1)
    return coef[:, None] + sum(
        xlogy(outcomes[:, j, None], mixes[None, :, j]) for j in range(outcomes.shape[1])
    )


def nps_difference_coverage(n: int, rng) -> tuple[np.ndarray, list]:
    """Exact coverage of ``analysis.compare`` on two NPS of n each, over pairs of mixes (0.1 grid)."""
    out3 = _outcomes(n, 3)  # promoters, passives, detractors
    pro, det = out3[:, 0] + 0.75, out3[:, 2] + 0.75
    m = n + 3.0
    (value,) = ((pro - det) / m,)
    var = ((pro + det) / m - value**2) / m
    z = float(stats.norm.ppf(0.975))
    diff = value[:, None] - value[None, :]
    half = z * np.sqrt(var[:, None] + var[None, :])
    low, high = 100 * (diff - half), 100 * (diff + half)
    for i, j in rng.integers(0, len(out3), size=(40, 2)):  # the formula is the package's
        a, b = (analysis.nps(counts=[o[2]] + [0] * 6 + [o[1], 0, o[0], 0]) for o in (out3[i], out3[j]))
        c = analysis.compare(a, b)
        assert abs(c.low - low[i, j]) < 1e-9, (n, i, j)
        assert abs(c.high - high[i, j]) < 1e-9, (n, i, j)
    mixes = _simplex(3, 0.1)
    prob = np.exp(_log_pmf(out3, mixes))  # outcomes x mixes
    pairs = [(a, b) for a in range(len(mixes)) for b in range(len(mixes))]
    cover = np.empty(len(pairs))
    for k, (a, b) in enumerate(pairs):
        true = 100 * ((mixes[a, 0] - mixes[a, 2]) - (mixes[b, 0] - mixes[b, 2]))
        inside = (low <= true + TOL) & (true - TOL <= high)
        cover[k] = prob[:, a] @ inside @ prob[:, b]
    return cover, [(mixes[a], mixes[b]) for a, b in pairs]


def mean_coverage(n: int, rng, scale: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Exact coverage of ``analysis.mean_score`` (Student t) on a ``scale``-point scale."""
    outcomes = _outcomes(n, scale)
    points = np.arange(1, scale + 1)
    mean = outcomes @ points / n
    var = (outcomes * (points[None, :] - mean[:, None]) ** 2).sum(axis=1) / (n - 1)
    half = float(stats.t.ppf(0.975, n - 1)) * np.sqrt(var / n)
    low, high = np.maximum(1, mean - half), np.minimum(scale, mean + half)
    for i in rng.integers(0, len(outcomes), size=40):
        e = analysis.mean_score(counts=outcomes[i].tolist(), scale=scale)
        assert abs(e.low - low[i]) < 1e-9, (n, i)
        assert abs(e.high - high[i]) < 1e-9, (n, i)
    mixes = _simplex(scale, 0.1)
    true = mixes @ points
    cover = np.empty(len(mixes))
    for start in range(0, len(mixes), 100):  # in blocks: outcomes x mixes is large at n = 30
        block = slice(start, start + 100)
        prob = np.exp(_log_pmf(outcomes, mixes[block]))
        inside = (low[:, None] <= true[None, block] + TOL) & (true[None, block] - TOL <= high[:, None])
        cover[block] = (prob * inside).sum(axis=0)
    return cover, mixes


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
    rng = np.random.default_rng(0)
    for n in SMALL_SIZES:
        cover, where = nps_difference_coverage(n, rng)
        labels = [f"NPS {100 * (a[0] - a[2]):+.0f} vs {100 * (b[0] - b[2]):+.0f}" for a, b in where]
        print(_row("compare: two NPS (na = nb)", n, cover, labels.__getitem__))
        inner_pairs = np.array([min(a.min(), b.min()) > 0 for a, b in where])
        inner_labels = [x for x, keep in zip(labels, inner_pairs, strict=True) if keep]
        print(_row("  every share >= 0.1", n, cover[inner_pairs], inner_labels.__getitem__))
    for n in SMALL_SIZES:
        cover, shares = mean_coverage(n, rng)
        labels = ["shares " + "/".join(f"{x:.1f}" for x in mix) for mix in shares]
        print(_row("mean, 5-point (Student t)", n, cover, labels.__getitem__))
        spread = shares.max(axis=1) <= 0.6
        spread_labels = [x for x, keep in zip(labels, spread, strict=True) if keep]
        print(_row("  no score over 60%", n, cover[spread], spread_labels.__getitem__))
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
