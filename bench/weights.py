"""Coverage of weighted intervals by simulation: Taylor linearisation against Wald on Kish's n.

Each design is run ``--reps`` times per sample size, the truth known from a fixed population
of 50,000 customers:

- ``pps``: customers of unequal size (lognormal), respondents drawn with replacement with
  probability proportional to size, weights 1 / (n p_i). The metric goes with size (bigger
  customers are happier) and small customers, who carry the large weights, vary more, so the
  weights are informative.
- ``nonresponse``: four tiers (50/30/15/5%) and two channels (web 70%, phone 30%). A tier
  answers at 5/10/20/40%, phone customers at 0.3 times that; answers are raked to both
  margins (analysis.weighting.rake over the cells, as the results do). The largest weight is
  about 3 times the median, so a cap of 5 never binds.
- ``thin``: the same, but phone customers of the top tier (1.5% of all) answer at a tenth of
  that rate, so their few answers carry over 5 times the median weight; ``capped`` rakes
  with the cap, which re-raking can meet by moving weight to the cells beside them.
- ``extreme``: the first tier answers at 1.5%, so its phone customers carry about 10 times
  the median weight. ``capped``: the same raking with the cap of 5 times the median
  (trimming and re-raking alternated; margins kept); ``trim only``: the raked weights cut at
  the cap with the excess spread over everyone (analysis.weighting.trim), which misses the
  margins: the bias that keeps the results from trimming that way.

For NPS, CSAT top-box and CES it prints the share of 95% intervals that hold the truth:
``linearised`` (analysis.weighted: with-replacement, no strata), ``lin. cells`` (the raking
cells as strata) and ``Kish-Wald`` (the multinomial or sample variance on Kish's effective n,
as the headline weighted NPS was computed before), then how often the cap held and the mean
share of weight it moved. At 2,000 reps the binomial noise is about +-0.5 points.

Run: .venv/bin/python bench/weights.py [--reps 2000] [--sizes 100,400,1600] [--seed 2026]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import weighted, weighting

Z = 1.959963984540054
POPULATION = 50_000
TIER_SHARES = np.array([0.50, 0.30, 0.15, 0.05])
CHANNEL_SHARES = np.array([0.7, 0.3])
PHONE_FACTOR = 0.3
RESPONSE = {
    "nonresponse": np.array([0.05, 0.10, 0.20, 0.40]),
    "thin": np.array([0.05, 0.10, 0.20, 0.40]),
    "extreme": np.array([0.015, 0.10, 0.20, 0.40]),
}
THIN_FACTOR = 0.1  # "thin": phone customers of the top tier answer at a tenth of the rate
DESIGNS = (
    ("pps", "pps", "none"),
    ("nonresponse", "nonresponse", "none"),
    ("thin", "thin", "none"),
    ("thin, capped", "thin", "rake"),
    ("extreme", "extreme", "none"),
    ("extreme, capped", "extreme", "rake"),
    ("extreme, trim only", "extreme", "trim"),
)


def population(rng: np.random.Generator) -> dict:
    """Scores 0-10 for NPS, 1-5 for CSAT and 1-7 for CES, each going with size and tier."""
    size = rng.lognormal(0.0, 1.0, POPULATION)
    tier = rng.choice(4, POPULATION, p=TIER_SHARES)
    channel = rng.choice(2, POPULATION, p=CHANNEL_SHARES)
    # Small customers (the large weights under pps) vary more: the case Kish's n ignores.
    spread = np.where(size < np.median(size), 1.6, 0.6)
    mood = 0.6 * np.log(size) + 0.5 * tier - 0.4 * channel + rng.normal(0, 1.0, POPULATION) * spread
    nps = np.clip(np.round(7.0 + 1.6 * mood), 0, 10).astype(int)
    csat = np.clip(np.round(3.6 + 0.8 * mood), 1, 5).astype(int)
    ces = np.clip(np.round(4.8 + 1.0 * mood), 1, 7).astype(int)
    return {"size": size, "tier": tier, "channel": channel, "nps": nps, "csat": csat, "ces": ces}


def values(metric: str, scores: np.ndarray) -> np.ndarray:
    if metric == "nps":
        return np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))
    if metric == "csat":
        return np.where(scores >= 4, 100.0, 0.0)
    return scores.astype(float)


def estimate(metric: str, scores: np.ndarray, w: np.ndarray, strata=None):
    if metric == "nps":
        return weighted.nps(scores, w, strata=strata)
    if metric == "csat":
        return weighted.csat(scores, w, strata=strata)
    return weighted.ces(scores, w, strata=strata)


def kish_wald(metric: str, scores: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    y = values(metric, scores)
    mean = float(np.average(y, weights=w))
    n_eff = w.sum() ** 2 / (w**2).sum()
    if metric == "ces":
        var = float(np.average((y - mean) ** 2, weights=w)) * len(y) / (len(y) - 1)
    elif metric == "nps":
        pro, det = np.average(y > 0, weights=w), np.average(y < 0, weights=w)
        var = 1e4 * (pro + det - (pro - det) ** 2)
    else:
        var = mean * (100 - mean)
    half = Z * math.sqrt(var / n_eff)
    return mean - half, mean + half


def draw(rng, pop: dict, design: str, n: int, trimming: str):
    """Respondents, their weights, their raking cell, and what the cap did (None: no cap)."""
    if design == "pps":
        p = pop["size"] / pop["size"].sum()
        i = rng.choice(POPULATION, n, p=p)
        return i, 1 / (n * p[i]), None, None
    propensity = RESPONSE[design][pop["tier"]] * np.where(pop["channel"] == 1, PHONE_FACTOR, 1.0)
    if design == "thin":
        propensity = propensity * np.where((pop["tier"] == 3) & (pop["channel"] == 1), THIN_FACTOR, 1.0)
    i = rng.choice(POPULATION, n, p=propensity / propensity.sum())
    cell = pop["tier"][i] * 2 + pop["channel"][i]
    present, index, counts = np.unique(cell, return_inverse=True, return_counts=True)
    columns = {"tier": (present // 2).tolist(), "channel": (present % 2).tolist()}
    margins = {
        "tier": {t: s for t, s in enumerate(TIER_SHARES) if t in columns["tier"]},
        "channel": {c: s for c, s in enumerate(CHANNEL_SHARES) if c in columns["channel"]},
    }
    raked = weighting.rake(
        columns, margins, counts=counts, cap=weighting.DEFAULT_CAP if trimming == "rake" else None
    )
    w = raked.weights[index.ravel()]
    if trimming == "trim":
        cut = weighting.trim(w, cap=weighting.DEFAULT_CAP)
        return i, cut.weights, cell, (True, cut.moved)
    return i, w, cell, (raked.cap_met, raked.moved) if trimming == "rake" else None


def run(reps: int, sizes: list[int], seed: int) -> list[tuple]:
    rng = np.random.default_rng(seed)
    pop = population(rng)
    truth = {m: float(values(m, pop[m]).mean()) for m in ("nps", "csat", "ces")}
    rows = []
    for label, design, trimming in DESIGNS:
        for n in sizes:
            hits = {m: np.zeros(3) for m in truth}
            held, moved = 0, 0.0
            for _ in range(reps):
                i, w, cells, cap = draw(rng, pop, design, n, trimming)
                if cap is not None:
                    held, moved = held + cap[0], moved + cap[1]
                for m in truth:
                    scores = pop[m][i]
                    lin = estimate(m, scores, w)
                    hits[m][0] += lin.low <= truth[m] <= lin.high
                    if cells is not None:
                        strat = estimate(m, scores, w, strata=cells)
                        hits[m][1] += strat.low <= truth[m] <= strat.high
                    low, high = kish_wald(m, scores, w)
                    hits[m][2] += low <= truth[m] <= high
            capped = (held / reps, moved / reps) if trimming != "none" else None
            for m in truth:
                rows.append((label, m, n, *(hits[m] / reps), cells is not None, capped))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--sizes", default="100,400,1600")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    rows = run(args.reps, sizes, args.seed)
    print(f"Coverage of 95% intervals, {args.reps} samples per row (seed {args.seed})")
    print(
        f"{'design':<20} {'metric':<6} {'n':>5}  {'linearised':>10} {'lin. cells':>10} {'Kish-Wald':>9}"
        f"  {'cap held':>8} {'moved':>6}"
    )
    for design, metric, n, lin, strat, kish, stratified, capped in rows:
        strata = f"{strat:10.3f}" if stratified else f"{'—':>10}"
        cap = f"  {capped[0]:8.2f} {capped[1]:6.3f}" if capped else ""
        print(f"{design:<20} {metric:<6} {n:>5}  {lin:10.3f} {strata} {kish:9.3f}{cap}")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
