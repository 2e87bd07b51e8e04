"""Relative importance by LMG from correlation matrices, its bootstrap, and variance inflation.

Every R^2 the LMG decomposition needs comes from the correlation matrix of (outcome,
predictors): R^2(S) = r_yS' R_SS^-1 r_yS, the R^2 of an OLS fit with an intercept on the
predictors in S. So listwise deletion (complete rows) and pairwise deletion (each
correlation from the rows that have both values) share one code path, and a bootstrap
draw costs a few small matrix products however many rows there are.
"""

from __future__ import annotations

import math

import numpy as np

DEFAULT_BOOTSTRAP = 200  # draws: about 0.1 s for five attributes, so a dashboard stays fast


def correlations(data: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pearson correlations of the columns of ``data`` (NaN = missing), each pair on the rows
    that have both values, with optional frequency ``weights``; and the pair counts.

    With no NaN this is the ordinary correlation matrix of the complete rows. ``weights``
    of shape (B, rows) give B matrices at once, stacked.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, np.nan], [4.0, 7.9]])
    >>> r, n = correlations(x)
    >>> round(float(r[0, 1]), 4), n.tolist()
    (0.9997, [[4.0, 3.0], [3.0, 3.0]])
    """
    w = np.ones((1, len(data))) if weights is None else np.asarray(weights, dtype=float)
    present = ~np.isnan(data)
    m = present.astype(float)
    # Centred first: the products below then lose no precision to large means.
    x0 = np.where(present, data - np.nanmean(data, axis=0), 0.0)
    xw = x0[None] * w[..., None]
    mw = m[None] * w[..., None]
    n = mw.transpose(0, 2, 1) @ m  # n[i, j]: rows with both i and j
    with np.errstate(invalid="ignore", divide="ignore"):
        s = xw.transpose(0, 2, 1) @ m / n  # s[i, j]: mean of i over the rows where j is present
        cross = xw.transpose(0, 2, 1) @ x0 / n
        var = (xw * x0).transpose(0, 2, 1) @ m / n - s**2
        r = (cross - s * s.transpose(0, 2, 1)) / np.sqrt(var * var.transpose(0, 2, 1))
    r[:, np.arange(data.shape[1]), np.arange(data.shape[1])] = 1.0
    return (r[0], n[0]) if np.ndim(weights) < 2 else (r, n)


def distinct(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``data`` (NaN included as a value) and how often each occurs."""
    rows, counts = np.unique(np.nan_to_num(data, nan=np.inf), axis=0, return_counts=True)
    return np.where(np.isinf(rows), np.nan, rows), counts.astype(float)


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R^2 of the outcome (index 0) on every subset of the predictors, indexed by bit mask.

    ``corr`` is one correlation matrix (k+1 square) or a stack of them (B, k+1, k+1); the
    answer has shape (2^k,) or (2^k, B). A singular block (perfectly collinear predictors)
    is solved by least squares, which gives the R^2 of the predictors it spans.
    """
    stack = corr[None] if corr.ndim == 2 else corr
    k = stack.shape[-1] - 1
    out = np.zeros((2**k, len(stack)))
    for mask in range(1, 2**k):
        cols = [j + 1 for j in range(k) if mask >> j & 1]
        block = stack[:, cols][:, :, cols]
        r_y = stack[:, cols, 0]
        try:
            beta = np.linalg.solve(block, r_y[..., None])[..., 0]
        except np.linalg.LinAlgError:
            beta = np.stack([np.linalg.lstsq(b, r, rcond=None)[0] for b, r in zip(block, r_y, strict=True)])
        out[mask] = np.einsum("bi,bi->b", r_y, beta)
    return out if corr.ndim == 3 else out[:, 0]


def shapley(r2: np.ndarray, k: int) -> np.ndarray:
    """LMG: each predictor's R^2 gain averaged over all k! orders of entry, from subset R^2.

    ``r2`` is indexed by bit mask (as :func:`subset_r2` returns it); the gains sum to the
    full model's R^2.

    Examples
    --------
    >>> # two predictors, R^2 0.3 and 0.2 alone and 0.4 together: gains 0.25 and 0.15
    >>> [round(float(g), 3) for g in shapley(np.array([0.0, 0.3, 0.2, 0.4]), 2)]
    [0.25, 0.15]
    """
    sizes = np.array([bin(m).count("1") for m in range(2**k)])
    weights = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)])
    gains = []
    for j in range(k):
        without = np.array([m for m in range(2**k) if not m >> j & 1])
        w = weights[sizes[without]]
        gains.append(np.tensordot(w, r2[without | 1 << j] - r2[without], axes=1))
    return np.array(gains)


def lmg_shares(corr: np.ndarray) -> np.ndarray:
    """Each predictor's LMG share of the explained variance (sums to 1), from (stacks of) R."""
    k = corr.shape[-1] - 1
    gains = shapley(subset_r2(corr), k)
    total = gains.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, gains / total, np.nan)


def bootstrap_shares(
    data: np.ndarray, draws: int, *, seed: int = 0, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of every LMG share, resampling rows (Groemping 2006, sec. 4).

    ``data`` holds the outcome in column 0 and may contain NaN (pairwise deletion within
    each draw). Draws whose R^2 is zero give no shares and are left out.
    """
    rng = np.random.default_rng(seed)
    # Resampling rows is resampling distinct rows in proportion to their counts, and ratings
    # repeat a lot: the draws cost the distinct rows, not every answer.
    rows, counts = distinct(data)
    freq = rng.multinomial(len(data), counts / counts.sum(), size=draws)
    chunk = max(1, 2_000_000 // (len(rows) * data.shape[1]))  # bounds the memory of a batch
    stack = np.concatenate([correlations(rows, freq[i : i + chunk])[0] for i in range(0, draws, chunk)])
    stack = stack[np.isfinite(stack).all(axis=(1, 2))]
    shares = lmg_shares(stack) if len(stack) else np.full((data.shape[1] - 1, 1), np.nan)
    tail = 50 * (1 - confidence)
    if np.isnan(shares).all():
        nan = np.full(shares.shape[0], np.nan)
        return nan, nan
    return np.nanpercentile(shares, tail, axis=1), np.nanpercentile(shares, 100 - tail, axis=1)


def vif(corr_x: np.ndarray) -> np.ndarray:
    """Variance inflation factor of each predictor, 1 / (1 - R_j^2): the diagonal of R_xx^-1.

    R_j^2 is from regressing predictor j on the others with an intercept, as in
    statsmodels' ``variance_inflation_factor`` with a constant column in the design.

    References
    ----------
    Marquardt, D. W. (1970). Generalized inverses, ridge regression, biased linear
    estimation, and nonlinear estimation. *Technometrics* 12(3), 591-612.

    Examples
    --------
    >>> [round(float(v), 3) for v in vif(np.array([[1.0, 0.8], [0.8, 1.0]]))]
    [2.778, 2.778]
    """
    if corr_x.shape[0] == 1:
        return np.ones(1)
    try:
        inverse = np.linalg.inv(corr_x)
    except np.linalg.LinAlgError:
        return np.full(corr_x.shape[0], np.inf)
    diag = np.diag(inverse)
    return np.where(diag > 0, diag, np.inf)
