"""Results warnings need a practical size, segments carry their effect size, warnings translate."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest
from flask_babel import force_locale
from scipy.stats.contingency import association

import analysis
from analysis import effects, representativeness
from feedback.services.reports import results
from feedback.services.reports import warnings as say
from tests.conftest import make_app


@pytest.fixture
def plain_app(tmp_path):
    return make_app(f"sqlite:///{tmp_path}/floor.db")


def population(n: int, rates: tuple[float, float]) -> SimpleNamespace:
    half = n // 2
    return SimpleNamespace(
        invited_by={"channel": {"online": half, "store": half}},
        responded_by={"channel": {"online": int(half * rates[0]), "store": int(half * rates[1])}},
    )


def non_response_warnings(app, pop) -> list[dict]:
    out: dict = {"warnings": []}
    with app.app_context():
        results._representativeness(out, pop)
    return [w for w in out["warnings"] if w["code"] == "non_response_bias"]


def test_a_huge_sample_with_a_trivial_difference_does_not_warn(plain_app):
    pop = population(400_000, (0.33, 0.30))  # p far below 0.001, Cramer's V about 0.03
    assert non_response_warnings(plain_app, pop) == []
    out: dict = {"warnings": []}
    with plain_app.app_context():
        results._representativeness(out, pop)
    (check,) = out["representativeness"]
    assert (
        check["significant"] and not check["biased"] and check["cramers_v"] == pytest.approx(0.03, abs=0.005)
    )


def test_a_real_difference_warns_with_its_effect_size(plain_app):
    (warning,) = non_response_warnings(plain_app, population(2_000, (0.50, 0.30)))
    assert warning["cramers_v"] == pytest.approx(0.2, abs=0.02)
    assert "Cramér's V = 0.2" in warning["message"] and "corrects for it" not in warning["message"]
    assert warning["params"]["attribute"] == "channel" and warning["msgid"].startswith("Respondents")


def test_the_floor_is_configurable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/nofloor.db", NON_RESPONSE_MIN_V=0.0)
    assert len(non_response_warnings(app, population(400_000, (0.33, 0.30)))) == 1


def test_segment_contrasts_report_an_effect_size_beside_p(plain_app):
    spec = results.MetricSpec("nps", "nps", 0, 10, lambda c, **kw: analysis.nps(counts=c, **kw))
    rng = np.random.default_rng(0)
    by_segment = {
        "north": rng.multinomial(400, [0.02] * 7 + [0.1, 0.1, 0.33, 0.33]),
        "south": rng.multinomial(400, [0.06] * 7 + [0.1, 0.1, 0.19, 0.19]),
    }
    out: dict = {"segments": []}
    with plain_app.app_context():
        results._segments(out, spec, "region", by_segment, None, 30)
    north = next(r for r in out["segments"] if r["key"] == "north")["metrics"]["nps"]["vs_rest"]
    table = [effects.nps_groups(by_segment["north"]), effects.nps_groups(by_segment["south"])]
    assert north["effect"]["name"] == "cramers_v"
    assert north["effect"]["value"] == pytest.approx(association(table, method="cramer"), abs=1e-4)
    assert north["effect"]["practical"] == (north["effect"]["value"] >= 0.1)
    assert "p_value" in north


def test_warnings_render_in_the_readers_locale_and_stay_english_in_json(plain_app):
    invited = {"tier": {"top": 1000, "small": 1000}}
    (check,) = representativeness.check(invited, {"tier": {"top": 250, "small": 200}})
    warning = say.non_response(check)
    assert 0.001 < check.p_adjusted < 0.05
    with plain_app.test_request_context("/staff/"):
        # English words; the page's own minus sign and digits
        assert say.render(warning).replace("\u2212", "-") == warning["message"]
        with force_locale("fa"):
            local = say.render(warning)
    assert local != warning["message"] and re.search("[۰-۹]", local)  # Persian digits from the locale
    assert say.render({"code": "small_sample", "message": "old style"}) == "old style"


def test_a_composition_warning_renders_its_parts_in_the_locale(plain_app):
    from analysis.simpson import standardized_change

    def counts(pro, pas, det):
        return [det] + [0] * 7 + [pas, 0, pro]

    before = {"gold": counts(185, 55, 10), "basic": counts(75, 100, 75)}
    after = {"gold": counts(74, 20, 6), "basic": counts(126, 160, 114)}
    warning = say.composition("tier", standardized_change(before, after))
    assert "like for like, with the mix held fixed, it moved +1.3" in warning["message"]
    with plain_app.test_request_context("/staff/"), force_locale("fa"):
        local = say.render(warning)
    assert "%(" not in local and "gold" in local and re.search("[۰-۹]", local)
    assert "\u2212" in local  # gold's own change, -2.0, with a real minus sign
