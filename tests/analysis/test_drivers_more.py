"""Drivers against independent references: statsmodels fits, brute-force LMG, pandas correlations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.outliers_influence import variance_inflation_factor

from analysis.drivers import drivers


def planted(n: int, seed: int, *, rho: float = 0.3):
    """Three 1-5 ratings (quality and price correlated by ``rho``) and a 0-10 score."""
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal([0, 0, 0], [[1, rho, 0], [rho, 1, 0], [0, 0, 1]], size=n)
    x = np.clip(np.round(3 + 1.2 * z), 1, 5)
    y = np.clip(np.round(1.0 * x[:, 0] + 0.6 * x[:, 1] + 0.2 * x[:, 2] + rng.normal(0, 1.5, n) - 0.5), 0, 10)
    return y, {"quality": x[:, 0], "price": x[:, 1], "delivery": x[:, 2]}


def brute_force_lmg(y, x):
    """R^2 gain of each column averaged over every order of entry, each R^2 from a statsmodels OLS fit."""
    k = x.shape[1]

    def r2(cols):
        return sm.OLS(y, sm.add_constant(x[:, list(cols)])).fit().rsquared if cols else 0.0

    gains = np.zeros(k)
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        for i, j in enumerate(order):
            gains[j] += r2(order[: i + 1]) - r2(order[:i])
    gains /= len(orders)
    return gains / gains.sum()


def test_vif_matches_statsmodels_and_flags_collinear_ratings():
    rng = np.random.default_rng(5)
    a = rng.normal(size=800)
    b = a + rng.normal(0, 0.4, 800)  # VIF about 7
    c = rng.normal(size=800)
    y = a + c + rng.normal(size=800)
    result = drivers(y, {"a": a, "b": b, "c": c}, bootstrap=0, ordinal=False)
    design = sm.add_constant(np.column_stack([a, b, c]))
    for i, name in enumerate("abc"):
        d = next(d for d in result.drivers if d.attribute == name)
        assert d.vif == pytest.approx(variance_inflation_factor(design, i + 1), rel=1e-8)
    flagged = {d.attribute for d in result.drivers if d.collinear}
    assert flagged == {"a", "b"}
    assert any("Variance inflation above 5" in w and "a (" in w for w in result.warnings)
    assert result.to_dict()["drivers"][0]["vif"] is not None


def test_ordinal_model_matches_a_direct_statsmodels_fit():
    y, ratings = planted(600, 1)
    result = drivers(y, ratings, bootstrap=0)
    x = np.column_stack(list(ratings.values()))
    direct = OrderedModel(y, x, distr="logit").fit(method="bfgs", disp=False, maxiter=500)
    assert result.ordinal.n == 600 and result.ordinal.categories == len(np.unique(y))
    ci = np.asarray(direct.conf_int())
    for i, o in enumerate(result.ordinal.odds_ratios):
        assert o.attribute == list(ratings)[i]
        assert o.odds_ratio == pytest.approx(np.exp(direct.params[i]), rel=1e-3)
        assert o.low == pytest.approx(np.exp(ci[i, 0]), rel=1e-3)
        assert o.high == pytest.approx(np.exp(ci[i, 1]), rel=1e-3)
    assert result.ordinal.converged and "Ordinal model" in result.summary()
    # A continuous outcome has no ordered categories: no ordinal model, OLS still there.
    assert drivers(y + np.linspace(0, 0.5, 600), ratings, bootstrap=0).ordinal is None


def test_bootstrap_interval_covers_the_brute_force_lmg_and_narrows_with_n():
    widths = []
    for n in (300, 3000):
        y, ratings = planted(n, 2)
        result = drivers(y, ratings, bootstrap=200, seed=3, ordinal=False)
        x = np.column_stack(list(ratings.values()))
        reference = dict(zip(ratings, brute_force_lmg(y, x), strict=True))
        for d in result.drivers:
            assert d.importance == pytest.approx(reference[d.attribute], abs=1e-9)
            assert d.importance_low <= reference[d.attribute] <= d.importance_high
        widths.append({d.attribute: d.importance_high - d.importance_low for d in result.drivers})
    for name in widths[0]:
        # Ten times the rows: about sqrt(10) = 3.2 times narrower; at least twice.
        assert widths[1][name] < widths[0][name] / 2, name
    once, twice = (drivers(*planted(300, 2), bootstrap=100, seed=3, ordinal=False) for _ in range(2))
    assert once.drivers[0].importance_low == twice.drivers[0].importance_low  # seeded


def test_rows_with_a_missing_rating_are_counted_and_pairwise_deletion_uses_the_rest():
    y, ratings = planted(1000, 4)
    gappy = {k: list(v) for k, v in ratings.items()}
    for i in range(0, 150):
        gappy["price"][i] = None
    for i in range(100, 180):
        gappy["delivery"][i] = None
    listwise = drivers(y, gappy, bootstrap=0, ordinal=False)
    assert listwise.dropped == 180 and listwise.n == 820
    by_name = {d.attribute: d for d in listwise.drivers}
    assert (by_name["price"].missing, by_name["delivery"].missing, by_name["quality"].missing) == (150, 80, 0)
    (note,) = listwise.warnings
    assert note.startswith("180 of 1000 rows") and "price 150" in note and "delivery 80" in note
    assert (
        "180 incomplete rows left out" in listwise.summary() and "Warning: 180 of 1000" in listwise.summary()
    )

    pairwise = drivers(y, gappy, bootstrap=50, ordinal=False, missing="pairwise")
    assert pairwise.n == 820 and pairwise.dropped == 180 and pairwise.importance_n == 820
    columns = [y] + [np.array(v, dtype=float) for v in gappy.values()]
    corr = np.eye(4)
    for i, j in itertools.combinations(range(4), 2):  # each pair on the rows that have both
        both = ~np.isnan(columns[i]) & ~np.isnan(columns[j])
        corr[i, j] = corr[j, i] = np.corrcoef(columns[i][both], columns[j][both])[0, 1]

    def r2(cols):
        cols = [c + 1 for c in cols]
        if not cols:
            return 0.0
        r = corr[np.ix_(cols, [0])][:, 0]
        return float(r @ np.linalg.solve(corr[np.ix_(cols, cols)], r))

    gains = np.zeros(3)
    for order in itertools.permutations(range(3)):
        for i, j in enumerate(order):
            gains[j] += (r2(order[: i + 1]) - r2(order[:i])) / 6
    expected = dict(zip(ratings, gains / gains.sum(), strict=True))
    for d in pairwise.drivers:
        assert d.importance == pytest.approx(expected[d.attribute], abs=1e-9)
    assert "pairwise" in pairwise.method and "every pair" in pairwise.warnings[0]
    complete = drivers(y, ratings, bootstrap=0, ordinal=False)
    assert complete.dropped == 0 and complete.warnings == ()


def test_bad_arguments_are_named():
    y, ratings = planted(100, 0)
    with pytest.raises(ValueError, match="missing"):
        drivers(y, ratings, missing="impute")
    with pytest.raises(ValueError, match="bootstrap"):
        drivers(y, ratings, bootstrap=-1)
    with pytest.raises(ValueError, match="no variation"):
        drivers(y, {**ratings, "flat": np.ones(100)})
