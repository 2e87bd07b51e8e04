"""The results function on the demo data and on planted data; API and CLI share it."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def demo(ctx):
    from feedback.services import demo
    from feedback.services.design import catalog

    demo.load(900, seed=5)
    return catalog.find_survey("transactional-nps")


def test_results_follow_the_contract(demo):
    from feedback.services.reports import results

    data = results.build(demo, by="tier")
    # Every method line a staff page shows one click deeper can be put in the reader's language.
    from tests.reports.test_method_text import methods_in, untranslatable

    assert methods_in(data) and not untranslatable(methods_in(data))
    assert {
        "survey",
        "from",
        "to",
        "invited",
        "responded",
        "response_rate",
        "metrics",
        "segments",
        "changes",
        "warnings",
    } <= set(data)
    nps = data["metrics"]["nps"]
    assert {"value", "low", "high", "n", "promoters", "passives", "detractors", "method"} <= set(nps)
    assert nps["low"] < nps["value"] < nps["high"]
    assert nps["n"] == 900
    assert data["response_rate"]["low"] < data["response_rate"]["value"] < data["response_rate"]["high"]
    for segment in data["segments"]:
        e = segment["metrics"]["nps"]
        if segment["suppressed"]:
            assert "value" not in e
        else:
            assert e["n"] >= data["min_n"] and e["low"] <= e["value"] <= e["high"]
    for change in data["changes"]:
        assert {
            "metric",
            "from_period",
            "to_period",
            "difference",
            "low",
            "high",
            "p_value",
            "significant",
        } <= set(change)
    for change in data["changes"]:  # both looks at a series are corrected together (Holm)
        assert "Holm" in change["method"]
        assert change["p_adjusted"] >= change["p_value"]
        assert change["significant"] == (change["p_adjusted"] <= 0.05)
    assert len({c["metric"] for c in data["changes"]}) < len(data["changes"])
    json.dumps(data)  # plain JSON, no numpy types
    overall = results.build(demo)
    for change in overall["changes"]:  # a change that is not significant is never called a rise
        flagged = [
            w
            for w in overall["warnings"]
            if w["code"] == "not_significant_change" and w["to_period"] == change["to_period"]
        ]
        assert bool(flagged) == (not change["significant"])
    from feedback.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        results.build(demo, by="shoe_size")
    with pytest.raises(ValidationFailed):
        results.parse_window("2026-05-01", "2026-04-01")
    empty = results.build(demo, start=results.parse_window("2030-01-01", None)[0])
    assert empty["metrics"]["nps"] == {"n": 0, "value": None, "suppressed": True}


def test_the_demo_triggers_its_planted_warnings(demo):
    from feedback.services.reports import results

    codes = {w["code"] for w in results.build(demo, by="store")["warnings"]}
    assert {"non_response_bias", "simpson_reversal", "gaming_suspected"} <= codes
    gamed = [w for w in results.build(demo, by="store")["warnings"] if w["code"] == "gaming_suspected"]
    assert [w["segment"] for w in gamed] == ["S08"]


def test_small_segments_are_suppressed(demo):
    from feedback.services.reports import results

    start, end = results.parse_window("2026-09-01", None)
    data = results.build(demo, by="tier", start=start, end=end)
    suppressed = [s for s in data["segments"] if s["suppressed"]]
    assert suppressed
    assert all("value" not in s["metrics"]["nps"] for s in suppressed)


def test_api_and_cli_give_the_same_results(app, demo):
    from feedback.services import accounts

    _, key = accounts.create_api_key("tests")
    client = app.test_client()
    api = client.get(
        f"/api/v1/surveys/{demo.id}/results?by=channel", headers={"Authorization": f"Bearer {key}"}
    )
    assert api.status_code == 200
    cli = app.test_cli_runner().invoke(
        args=["report", "transactional-nps", "--by", "channel", "--format", "json"]
    )
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["metrics"] == api.get_json()["metrics"]
    bad = client.get(f"/api/v1/surveys/{demo.id}/results?by=nope", headers={"Authorization": f"Bearer {key}"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["field"] == "by"
    text = app.test_cli_runner().invoke(args=["report", "transactional-nps", "--by", "tier"])
    assert "NPS" in text.output and "[" in text.output and "Warnings:" in text.output


def test_tiers_from_a_known_purchase_table(ctx):
    from datetime import timedelta
    from decimal import Decimal

    from feedback.extensions import db
    from feedback.models import Customer, Purchase
    from feedback.models.types import utcnow
    from feedback.services.intake import tiers

    now = utcnow()
    customers = [Customer(external_id=f"c{i}") for i in range(200)]
    db.session.add_all(customers)
    db.session.flush()
    for i, c in enumerate(customers[:190]):
        # Revenue 190, 189, ... 1 within the year; the last ten bought only long ago or never.
        db.session.add(
            Purchase(
                external_id=f"o{i}",
                customer_id=c.id,
                amount=Decimal(190 - i),
                purchased_at=now - timedelta(days=10),
            )
        )
    for i, c in enumerate(customers[190:195]):
        db.session.add(
            Purchase(
                external_id=f"old{i}",
                customer_id=c.id,
                amount=Decimal(999),
                purchased_at=now - timedelta(days=500),
            )
        )
    db.session.commit()
    counts = tiers.recompute(now=now)
    # 190 active customers: ceil(1.9) = 2 top, ceil(9.5) = 10 in the top 5%, ceil(38) = 38 in the top 20%.
    assert counts == {"top": 2, "big": 8, "medium": 28, "small": 152, "inactive": 5, "prospect": 5}
    db.session.expire_all()
    assert db.session.get(Customer, customers[0].id).tier == "top"
    assert db.session.get(Customer, customers[192].id).tier == "inactive"


def test_a_csat_month_outside_its_control_limits_becomes_an_alert(ctx):
    """Five steady months at 80% satisfied, then one at 45%: a p-chart signal for that month only."""
    from datetime import UTC, datetime

    from feedback.extensions import db
    from feedback.models import Answer, Response
    from feedback.services.design import catalog, designing
    from feedback.services.reports import aggregates, results
    from surveys.templates import delivery_csat

    survey = designing.create_published(delivery_csat(("en",)))
    [qid] = aggregates.question_ids(survey.id, role="csat")
    version_id = catalog.live_version(survey.id).id
    for month, satisfied in ((1, 80), (2, 81), (3, 79), (4, 80), (5, 82), (6, 45)):
        at = datetime(2026, month, 15, tzinfo=UTC)
        for i in range(100):
            response = Response(
                survey_id=survey.id,
                version_id=version_id,
                locale="en",
                status="complete",
                source="invitation",
                submitted_at=at,
                period=f"2026-{month:02d}",
            )
            db.session.add(response)
            db.session.flush()
            db.session.add(
                Answer(response_id=response.id, question_id=qid, number=5.0 if i < satisfied else 2.0)
            )
    db.session.commit()
    alerts = results.build(survey)["alerts"]
    assert [(a["metric"], a["period"], a["signal"]) for a in alerts] == [("csat", "2026-06", "below")]


def _untier(model, every: int) -> None:
    from sqlalchemy import update

    from feedback.extensions import db

    db.session.execute(update(model).where(model.id % every == 0).values(tier=None))
    db.session.commit()


def test_customers_without_a_tier_are_a_cell_of_their_own_in_the_weighting(demo):
    """A new customer's answer (no tier yet) once broke the weighted NPS for good."""
    from feedback.models import Invitation, Response
    from feedback.services.reports import results

    _untier(Invitation, 7)
    _untier(Response, 7)
    data = results.build(demo)
    weighting = data["weighting"]
    assert "error" not in weighting and weighting["nps"]["low"] < weighting["nps"]["value"]
    cells = next(c for c in data["representativeness"] if c["attribute"] == "tier")["cells"]
    assert "(none)" in {c["key"] for c in cells}
    assert weighting["excluded"] == 0


def test_answers_in_a_cell_no_invitation_has_are_left_out_and_counted(demo):
    from feedback.models import Response
    from feedback.services.reports import results

    _untier(Response, 5)
    data = results.build(demo)
    weighting = data["weighting"]
    assert "error" not in weighting
    assert weighting["excluded"] > 0 and f"{weighting['excluded']} answers" in weighting["note"]
    assert weighting["nps"]["n"] == data["metrics"]["nps"]["n"] - weighting["excluded"]
