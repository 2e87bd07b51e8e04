"""Overdispersion: the dispersion ratio, Laney's limits and the quasi-likelihood trend,
against statsmodels, a hand computation from Laney (2002), and seeded simulations."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

import analysis
from analysis import dispersion
from analysis.compare import trend
from analysis.control import nps_chart, p_chart

MIX = (0.25, 0.30, 0.45)  # detractors, passives, promoters: NPS +20


def _nps_counts(det: int, pas: int, pro: int) -> list[int]:
    return [int(det)] + [0] * 6 + [int(pas), 0, int(pro), 0]


def _series(rng, n: int, months: int, extra_sd: float) -> list[list[int]]:
    """Monthly NPS counts; each month's true NPS moved by N(0, extra_sd^2) points."""
    out = []
    for _ in range(months):
        shift = rng.normal(0.0, extra_sd) / 200 if extra_sd else 0.0
        p = np.array([MIX[0] - shift, MIX[1], MIX[2] + shift])
        out.append(_nps_counts(*rng.multinomial(n, p / p.sum())))
    return out


def test_proportion_ratio_is_the_pearson_scale_of_a_binomial_glm():
    rng = np.random.default_rng(3)
    n = rng.integers(80, 400, size=10)
    k = rng.binomial(n, rng.uniform(0.1, 0.3, size=10))
    # Proportions with var_weights n: statsmodels' scale="X2" for a two-column endog is on another footing.
    glm = sm.GLM(k / n, np.ones((10, 1)), family=sm.families.Binomial(), var_weights=n).fit(scale="X2")
    found = dispersion.proportions(k.tolist(), n.tolist())
    assert found.ratio == pytest.approx(glm.scale, rel=1e-9)
    assert found.df == 9
    assert found.p_value == pytest.approx(stats.chi2.sf(glm.pearson_chi2, 9), rel=1e-9)


def test_nps_ratio_is_the_pearson_scale_of_the_weighted_mean():
    counts = _series(np.random.default_rng(4), 300, 8, 5.0)
    n = np.array([sum(c) for c in counts])
    pro, det = sum(sum(c[9:]) for c in counts) / n.sum(), sum(sum(c[:7]) for c in counts) / n.sum()
    unit = pro + det - (pro - det) ** 2
    values = np.array([(sum(c[9:]) - sum(c[:7])) / sum(c) for c in counts])
    wls = sm.WLS(values, np.ones(8), weights=n / unit).fit()  # scale: sum w r^2 / (m - 1)
    assert dispersion.nps(counts).ratio == pytest.approx(wls.scale, rel=1e-9)
    assert wls.params[0] == pytest.approx(pro - det)


def test_quasi_trend_matches_statsmodels_wls_with_estimated_scale():
    counts = _series(np.random.default_rng(5), 500, 10, 6.0)
    months = [analysis.nps(counts=c) for c in counts]
    t = trend(months, overdispersion="quasi")
    x = sm.add_constant(np.arange(10.0))
    fit = sm.WLS([e.value for e in months], x, weights=[1 / e.se**2 for e in months]).fit()
    assert fit.scale > 1  # the floor at 1 is not what is being compared
    assert t.dispersion.ratio == pytest.approx(fit.scale, rel=1e-9)
    assert t.slope == pytest.approx(fit.params[1], rel=1e-9)
    assert t.p_value == pytest.approx(fit.pvalues[1], rel=1e-7)
    low, high = fit.conf_int(0.05)[1]
    assert (t.low, t.high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    assert t.method.startswith("quasi-likelihood")
    assert "dispersion ratio" in t.summary() and t.to_dict()["dispersion"]["df"] == 8


def test_trend_keeps_its_z_test_when_the_periods_are_not_overdispersed():
    # Values exactly on a line: X^2 = 0, so the automatic rule keeps the multinomial z test.
    months = [analysis.proportion(100 + 10 * i, 400) for i in range(5)]
    t = trend(months)
    x = np.arange(5.0)
    w = np.array([1 / e.se**2 for e in months])
    xbar = (w * x).sum() / w.sum()
    se = math.sqrt(1 / (w * (x - xbar) ** 2).sum())
    assert t.method == analysis.Trend.__dataclass_fields__["method"].default
    assert t.p_value == pytest.approx(2 * stats.norm.sf(abs(t.slope / se)), rel=1e-9)
    assert t.dispersion.ratio == pytest.approx(0.0, abs=1e-9)
    assert trend(months, overdispersion="none").p_value == t.p_value
    with pytest.raises(ValueError, match="overdispersion"):
        trend(months, overdispersion="random")


def test_widened_nps_change_is_the_z_test_with_variances_times_the_ratio():
    a, b = [30] + [0] * 6 + [50, 0, 120, 0], [45] + [0] * 6 + [55, 0, 100, 0]
    c = analysis.compare(analysis.nps(counts=a), analysis.nps(counts=b))
    found = dispersion.Dispersion(ratio=2.5, chi2=25.0, df=10, p_value=0.005)
    w = dispersion.widen(c, found)

    def adjusted(counts):  # Rocks (2016): +0.75 detractors, +1.5 passives, +0.75 promoters
        det, pas, pro = counts[0] + 0.75, counts[7] + 1.5, counts[9] + 0.75
        m = det + pas + pro
        return (pro - det) / m, ((pro + det) / m - ((pro - det) / m) ** 2) / m

    (da, va), (db, vb) = adjusted(a), adjusted(b)
    se = math.sqrt(2.5 * (va + vb))
    assert w.p_value == pytest.approx(2 * stats.norm.sf(abs(da - db) / se), rel=1e-6)
    assert (w.low, w.high) == (
        pytest.approx(100 * (da - db - 1.959964 * se), rel=1e-5),
        pytest.approx(100 * (da - db + 1.959964 * se), rel=1e-5),
    )
    assert c.significant and not w.significant
    assert dispersion.widen(c, dispersion.Dispersion(0.8, 8.0, 10, 0.6)) is c


def test_laney_p_prime_limits_by_hand():
    k, n = [12, 30, 18, 41, 25, 9], [150, 200, 160, 220, 180, 140]
    chart = p_chart([str(i) for i in range(6)], k, n)
    # Laney (2002): z_i = (p_i - pbar) / sigma_pi, limits pbar +- 3 sigma_pi sigma_z; sigma_z
    # from the median moving range over 0.954 (Wheeler and Chambers), Laney's mean over 1.128
    # being the non-robust form.
    pbar = sum(k) / sum(n)
    sig = [math.sqrt(pbar * (1 - pbar) / m) for m in n]
    z = [(ki / m - pbar) / s for ki, m, s in zip(k, n, sig, strict=True)]
    moving = sorted(abs(z[i] - z[i - 1]) for i in range(1, 6))
    s_z = moving[2] / 0.954
    assert dispersion.sigma_z([ki / m for ki, m in zip(k, n, strict=True)], pbar, sig) == pytest.approx(
        sum(moving) / 5 / 1.128, rel=1e-12
    )
    assert s_z > 1 and chart.dispersion.overdispersed
    assert chart.limits == "laney" and chart.sigma_z == pytest.approx(s_z, rel=1e-12)
    for point, s in zip(chart, sig, strict=True):
        assert point.upper == pytest.approx(100 * (pbar + 3 * s * s_z), rel=1e-12)
        assert point.lower == pytest.approx(100 * max(0.0, pbar - 3 * s * s_z), rel=1e-12)
    plain = p_chart([str(i) for i in range(6)], k, n, laney=False)
    assert plain.limits == "shewhart" and plain[0].upper == pytest.approx(100 * (pbar + 3 * sig[0]))
    assert chart.to_dict()["limits"] == "laney" and "dispersion" in chart.to_dict()


def test_nps_chart_widens_only_for_overdispersed_months():
    calm = _series(np.random.default_rng(7), 400, 12, 0.0)
    wild = _series(np.random.default_rng(7), 400, 12, 8.0)
    periods = [f"2026-{m:02d}" for m in range(1, 13)]
    forced = nps_chart(periods, calm, laney=True)
    plain = nps_chart(periods, calm, laney=False)
    assert forced[0].upper - forced[0].centre == pytest.approx(
        forced.sigma_z * (plain[0].upper - plain[0].centre), rel=1e-9
    )
    wide = nps_chart(periods, wild)
    assert wide.limits == "laney" and wide.sigma_z > 1
    shewhart = nps_chart(periods, wild, laney=False)
    assert wide[0].upper - wide[0].centre == pytest.approx(
        wide.sigma_z * (shewhart[0].upper - shewhart[0].centre), rel=1e-9
    )
    assert nps_chart(periods, calm).limits == "shewhart"
    assert dispersion.nps(wild).ratio > 2 > dispersion.nps(calm).ratio


def test_a_single_spike_does_not_widen_the_limits_meant_to_catch_it():
    rng = np.random.default_rng(9)
    periods = [str(i) for i in range(12)]
    all_months = screened = auto = shewhart = 0
    for _ in range(200):
        p = np.full(12, 0.10)
        p[8] = 0.17  # one month's share up by 7 points: about 4.7 sampling SDs at n = 400
        k = rng.binomial(400, p).tolist()
        chart = p_chart(periods, k, [400] * 12)
        all_months += chart.dispersion.overdispersed
        screened += chart.screened.overdispersed
        auto += chart[8].signal == "above"
        shewhart += p_chart(periods, k, [400] * 12, laney=False)[8].signal == "above"
    assert all_months >= 0.8 * 200  # the spike alone makes all twelve months look overdispersed
    assert screened <= 0.3 * 200  # the months inside Shewhart's limits mostly do not (alpha 0.2)
    # Testing all twelve months would switch to Laney's limits and catch the spike in about 30%
    # of series; screened, the chance pre-test (alpha 0.2) costs a few points against Shewhart.
    assert auto >= 0.6 * 200
    assert auto >= shewhart - 0.15 * 200


def _false_alarms(rng, reps: int, extra_sd: float) -> tuple[float, float]:
    naive = auto = 0
    for _ in range(reps):
        months = [analysis.nps(counts=c) for c in _series(rng, 1000, 12, extra_sd)]
        naive += trend(months, overdispersion="none").significant
        auto += trend(months).significant
    return naive / reps, auto / reps


def test_trend_false_alarms_near_nominal_under_overdispersion():
    # 3 NPS points of month-to-month variation at n = 1,000: about twice the sampling variance.
    naive, auto = _false_alarms(np.random.default_rng(11), 400, 3.0)
    assert naive >= 0.12
    assert auto <= 0.08


def test_trend_on_pure_multinomial_series_stays_at_nominal():
    naive, auto = _false_alarms(np.random.default_rng(12), 400, 0.0)
    assert naive <= 0.08 and auto <= naive
    assert naive - auto <= 0.03  # the pre-test seldom fires, and then only widens
