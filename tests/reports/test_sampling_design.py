"""The finite population correction is applied only under a declared random sampling design.

Respondents chose to answer, so by default they are not a random sample of the invitees, and
no interval is narrowed for a "population" of invitations. The intervals below are recomputed
from the counts with the published formulas, not through ``analysis``.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

DESIGN = "random-sample-of-purchasers"


@pytest.fixture
def demo(ctx):
    from feedback.services import demo
    from feedback.services.design import catalog

    demo.load(900, seed=5)
    return catalog.find_survey("transactional-nps")


def _adjusted_wald(pro: int, pas: int, det: int, population: int | None = None) -> tuple[float, float]:
    """Rocks (2016): +0.75/+1.5/+0.75, Wald on the adjusted counts; Cochran's FPC on top when N is given."""
    n = pro + pas + det
    f2 = 1.0 if population is None else (population - n) / (population - 1)
    p_pro, p_det = (pro + 0.75 * f2) / (n + 3 * f2), (det + 0.75 * f2) / (n + 3 * f2)
    centre = p_pro - p_det
    half = stats.norm.ppf(0.975) * math.sqrt((p_pro + p_det - centre**2) / (n + 3 * f2) * f2)
    return 100 * (centre - half), 100 * (centre + half)


def _frame(survey_id: int) -> int:
    """Purchases that entered the random draw: invited, sampled out, or sampled and held back by fatigue."""
    from sqlalchemy import func, or_, select

    from feedback.extensions import db
    from feedback.models import Invitation

    return db.session.scalar(
        select(func.count()).where(
            Invitation.survey_id == survey_id,
            or_(
                Invitation.suppression_reason.is_(None),
                Invitation.suppression_reason.in_(("sampled_out", "fatigue")),
            ),
        )
    )


def _half(e: dict) -> float:
    return (e["high"] - e["low"]) / 2


def test_by_default_no_finite_population_correction_is_applied(demo):
    from feedback.services.reports import results

    data = results.build(demo)
    nps = data["metrics"]["nps"]
    low, high = _adjusted_wald(nps["promoters"], nps["passives"], nps["detractors"])
    assert (nps["low"], nps["high"]) == (pytest.approx(low, abs=1e-3), pytest.approx(high, abs=1e-3))
    assert "population" not in nps
    assert data["invited"] > nps["n"]  # there were invitations to (wrongly) correct for
    assert data["sampling"] == {
        "design": "none",
        "finite_population_correction": False,
        "why": "respondents chose to answer; they are not a random sample of the invitees",
    }
    assert all("population" not in m for m in data["metrics"].values() if m.get("n"))


def test_the_weighted_nps_follows_the_same_choice(demo):
    from flask import current_app

    from feedback.services.reports import results

    plain = results.build(demo)["weighting"]["nps"]
    assert "population" not in plain
    current_app.config["SAMPLING_DESIGN"] = DESIGN
    declared = results.build(demo)
    weighted = declared["weighting"]["nps"]
    population = declared["sampling"]["population"]
    assert weighted["population"] == population
    factor = math.sqrt((population - weighted["n"]) / (population - 1))
    assert _half(weighted) == pytest.approx(_half(plain) * factor, abs=1e-3)


def test_a_declared_random_design_applies_the_correction_and_says_so(demo):
    from flask import current_app

    from feedback.services.reports import results

    before = results.build(demo)["metrics"]["nps"]
    current_app.config["SAMPLING_DESIGN"] = DESIGN
    data = results.build(demo)
    nps = data["metrics"]["nps"]
    population = _frame(demo.id)
    assert data["sampling"]["design"] == DESIGN
    assert data["sampling"]["finite_population_correction"] is True
    assert data["sampling"]["population"] == population == nps["population"]
    assert "random" in data["sampling"]["why"]
    low, high = _adjusted_wald(nps["promoters"], nps["passives"], nps["detractors"], population)
    assert (nps["low"], nps["high"]) == (pytest.approx(low, abs=1e-3), pytest.approx(high, abs=1e-3))
    assert _half(nps) < _half(before)


def test_the_text_report_says_in_one_line_what_was_done(app, demo):
    out = app.test_cli_runner().invoke(args=["report", "transactional-nps"])
    assert out.exit_code == 0, out.output
    lines = [line for line in out.output.splitlines() if line.startswith("Sampling:")]
    assert len(lines) == 1 and "no finite population correction" in lines[0]
    app.config["SAMPLING_DESIGN"] = DESIGN
    out = app.test_cli_runner().invoke(args=["report", "transactional-nps"])
    lines = [line for line in out.output.splitlines() if line.startswith("Sampling:")]
    assert len(lines) == 1 and "finite population corrected, N = " in lines[0]


def test_an_unknown_sampling_design_is_refused(tmp_path):
    from feedback import create_app
    from feedback.config import ConfigError

    url = f"sqlite:///{tmp_path}/x.db"
    with pytest.raises(ConfigError, match="FEEDBACK_SAMPLING_DESIGN"):
        create_app({"ENV": "testing", "DATABASE_URL": url, "SAMPLING_DESIGN": "random-sample-of-invitees"})
    assert create_app({"ENV": "testing", "DATABASE_URL": url}).config["SAMPLING_DESIGN"] == "none"
