"""Net Promoter Score with an interval that keeps its coverage at small n."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from analysis.estimates import Estimate, check_confidence, fpc, z_value

NPS_SCALE = 11  # scores 0..10


def nps_counts(
    scores: Sequence[int] | None = None, counts: Sequence[int] | None = None
) -> tuple[int, int, int]:
    """Return (promoters, passives, detractors) from raw 0-10 scores or a length-11 count vector."""
    if (scores is None) == (counts is None):
        raise ValueError("give exactly one of scores or counts")
    if counts is not None:
        c = np.asarray(counts)
        if c.shape != (NPS_SCALE,):
            raise ValueError(f"counts must have 11 entries (scores 0..10), got shape {c.shape}")
        if (c < 0).any() or not np.all(np.equal(np.mod(c, 1), 0)):
            raise ValueError("counts must be non-negative integers")
        c = c.astype(np.int64)
    else:
        s = np.asarray(scores)
        if s.size and (not np.all(np.equal(np.mod(s, 1), 0)) or s.min() < 0 or s.max() > NPS_SCALE - 1):
            raise ValueError("scores must be whole numbers from 0 to 10")
        c = np.bincount(s.astype(np.int64), minlength=NPS_SCALE)
    return int(c[9:].sum()), int(c[7:9].sum()), int(c[:7].sum())


def nps(
    scores: Sequence[int] | None = None,
    *,
    counts: Sequence[int] | None = None,
    confidence: float = 0.95,
    population: int | None = None,
    method: str = "adjusted-wald",
) -> Estimate:
    """Net Promoter Score in points (-100..100) with a confidence interval.

    Parameters
    ----------
    scores : sequence of int, optional
        Raw 0-10 answers.
    counts : sequence of 11 ints, optional
        Number of answers per score 0..10 (what the SQL layer hands over).
    confidence : float
        Two-sided confidence level.
    population : int, optional
        Size N of a sampling frame the answers are a simple random sample of,
        for the finite population correction. Leave it out when respondents
        chose to answer: the number of invitations is not such a frame.
    method : {"adjusted-wald", "wald", "tango"}
        ``adjusted-wald`` (default) is Rocks (2016): add 0.75 detractors, 1.5
        passives and 0.75 promoters (n + 3), then take the Wald interval of the
        difference of two multinomial proportions on the adjusted counts.
        ``wald`` is the plain interval, kept for comparison: it under-covers at
        small n and near +-100. With a finite ``population`` the pseudo-counts
        are scaled by the variance correction (N - n) / (N - 1), so a census
        (n = N) reports the observed value with no width. ``tango`` is the
        iterative score interval (see ``analysis.nps_intervals.tango_interval``).

    References
    ----------
    Rocks, B. (2016). Interval estimation for the Net Promoter Score.
    *The American Statistician* 70(4), 365-372.

    Examples
    --------
    >>> e = nps(counts=[2, 1, 1, 2, 2, 3, 4, 10, 15, 25, 35])
    >>> round(e.value, 1), e.n
    (45.0, 100)
    >>> round(e.low, 1), round(e.high, 1)
    (29.3, 58.0)
    """
    check_confidence(confidence)
    pro, pas, det = nps_counts(scores, counts)
    n = pro + pas + det
    if n == 0:
        raise ValueError("scores/counts contain no answers; NPS is undefined for n = 0")
    value = 100.0 * (pro - det) / n
    if method == "tango":
        from analysis.nps_intervals import tango_interval

        low, high = tango_interval(pro, pas, det, confidence=confidence, population=population)
        name = "Tango score interval (iterative)"
    elif method in ("adjusted-wald", "wald"):
        shrink = fpc(n, population) ** 2 if method == "adjusted-wald" else 0.0
        add = (0.75 * shrink, 1.5 * shrink, 0.75 * shrink)
        low, high = _wald(pro + add[0], pas + add[1], det + add[2], n, confidence, population)
        name = "adjusted Wald (Rocks 2016, +0.75/+1.5/+0.75)" if method == "adjusted-wald" else "Wald"
    else:
        raise ValueError(f"method must be 'adjusted-wald', 'wald' or 'tango', got {method!r}")
    return Estimate(
        metric="nps",
        value=value,
        low=low,
        high=high,
        n=n,
        confidence=confidence,
        method=name,
        unit="points",
        population=population,
        details={"promoters": pro, "passives": pas, "detractors": det},
        se=100 * math.sqrt(max((pro + det) / n - ((pro - det) / n) ** 2, 0.0) / n) * fpc(n, population),
    )


def _wald(
    pro: float, pas: float, det: float, n_obs: int, confidence: float, population: int | None
) -> tuple[float, float]:
    total = pro + pas + det
    p_pro, p_det = pro / total, det / total
    centre = p_pro - p_det
    var = (p_pro + p_det - centre**2) / total
    half = z_value(confidence) * math.sqrt(max(var, 0.0)) * fpc(n_obs, population)
    return 100.0 * max(-1.0, centre - half), 100.0 * min(1.0, centre + half)
