"""Weights everywhere: every figure of the results gets a weighted twin when respondents differ.

The weighted overall NPS is checked against post-stratification recomputed from the SQL counts
(raking on one attribute is post-stratification), not against ``analysis.weighted``.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(ctx):
    from feedback.services import demo
    from feedback.services.design import catalog

    demo.load(900, seed=5)
    return catalog.find_survey("transactional-nps")


def _nps(counts) -> float:
    return 100 * (sum(counts[9:]) - sum(counts[:7])) / sum(counts)


def test_every_figure_has_a_weighted_twin_with_its_effective_n(demo, app):
    from feedback.services.reports import aggregates, results

    # The demo's respondents differ from the invited customers by tier with Cramér's V = 0.08;
    # a floor of 0.05 makes that a non-response bias to weight for.
    app.config["NON_RESPONSE_MIN_V"] = 0.05
    data = results.build(demo, by="tier")
    block = data["weighting"]
    assert block["by"] == ["tier"]
    nps = block["metrics"]["nps"]
    assert nps == block["nps"]
    assert nps["weighted"] is True and "Taylor-linearised" in nps["method"]
    assert nps["n_effective"] < nps["n"] == data["metrics"]["nps"]["n"]
    trimming = nps["weighting"]["trimming"]
    assert trimming["cap"] == 5.0 and trimming["trimmed"] == 0
    # Post-stratification by hand: each tier's NPS at its share of the invitations.
    invited = next(c for c in data["representativeness"] if c["attribute"] == "tier")["cells"]
    share = {c["key"]: c["invited"] for c in invited}
    qids = aggregates.question_ids(demo.id, role="nps")
    by_tier = {}
    for (tier, _month), c in aggregates.score_counts(
        demo.id, qids, 0, 10, aggregates.Window(), by="tier"
    ).items():
        by_tier[tier] = by_tier.get(tier, 0) + c
    answered = {t: s for t, s in share.items() if t in by_tier}
    expected = sum(answered[t] * _nps(list(by_tier[t])) for t in answered) / sum(answered.values())
    assert nps["value"] == pytest.approx(expected, abs=1e-3)
    assert nps["differs"] == (not nps["low"] <= data["metrics"]["nps"]["value"] <= nps["high"])
    for segment in data["segments"]:
        entry = segment["metrics"]["nps"]
        if entry.get("suppressed"):
            assert "weighted" not in entry
            continue
        twin = entry["weighted"]
        # Weights are constant within a tier, so a tier's weighted NPS is its plain NPS.
        assert twin["value"] == pytest.approx(entry["value"], abs=1e-3)
        assert twin["n_effective"] == pytest.approx(entry["n"], abs=0.1)
        assert "vs_rest" in twin
    months = [p["metrics"]["nps"] for p in data["periods"] if not p["metrics"]["nps"].get("suppressed")]
    assert months and all(m["weighted"]["n_effective"] <= m["n"] for m in months)
    for change in data["changes"]:
        w = change["weighted"]
        assert w["significant"] == (not w["low"] <= 0 <= w["high"])
        assert "independent samples" in w["method"]
    assert "Taylor-linearised" in data["standardized_change"]["weighted"]["method"]

    # No weight of the demo is near 5 times the median: nothing is cut, and the report says so.
    assert trimming["cap_met"] and trimming["share_moved"] == 0 and 1 <= trimming["largest"] < 5

    # By another attribute the weights vary within each segment and move its figure.
    data = results.build(demo, by="region")
    shown = [s["metrics"]["nps"] for s in data["segments"] if not s["metrics"]["nps"].get("suppressed")]
    assert shown and any(abs(s["weighted"]["value"] - s["value"]) > 0.01 for s in shown)
    assert all(s["weighted"]["n_effective"] < s["n"] for s in shown)
    assert data["weighting"]["trimming"]["margin_error"] < 1e-6
    assert data["weighting"]["effective_n"] < data["metrics"]["nps"]["n"]


@pytest.mark.parametrize("cap", ["lots", 1])
def test_a_weight_cap_that_is_no_cap_is_refused_at_start(tmp_path, monkeypatch, cap):
    from feedback import create_app
    from feedback.config import ConfigError

    with pytest.raises(ConfigError, match="FEEDBACK_WEIGHT_CAP"):
        create_app({"ENV": "testing", "WEIGHT_CAP": cap, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    monkeypatch.setenv("FEEDBACK_WEIGHT_CAP", "3")
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["WEIGHT_CAP"] == 3.0
