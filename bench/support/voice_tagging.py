"""The tagging cost of a submit, for bench/insights.py: the tagger's per-comment work beside a
full in-process submit."""

from __future__ import annotations

import html
import random
import statistics
import time
from urllib.parse import urlencode

from sqlalchemy import insert, select, text

from support.links import nps_reason_spec, sent_invitations
from support.voice import HIDDEN, MIX_CUM, SCORES, band_of, phrases

# ---------------------------------------------------------------------- 4. tagging/submit


def submit_links(app, count: int) -> tuple[int, list[str]]:
    """A one-page NPS + reason survey and ``count`` sent invitations whose tokens we know."""
    from feedback.extensions import db
    from feedback.models import Customer, Invitation
    from feedback.services.design import catalog, designing
    from surveys import serialize

    with app.app_context():
        survey = designing.create_published(
            serialize.from_dict(nps_reason_spec("bench-submit", "Bench submit"))
        )
        version = catalog.live_version(survey.id).id
        first = (db.session.execute(text("SELECT max(id) FROM customer")).scalar() or 0) + 1
        db.session.execute(
            insert(Customer),
            [
                {"external_id": f"submit-{i}", "email": f"s{i}@example.com", "locale": "en"}
                for i in range(count)
            ],
        )
        ids = list(db.session.scalars(select(Customer.id).where(Customer.id >= first).order_by(Customer.id)))
        rows, links = sent_invitations(survey.id, version, ids)
        db.session.execute(insert(Invitation), rows)
        db.session.commit()
        survey_id = survey.id
        db.session.remove()
    return survey_id, links


def measure_tagging(app, submits: int, rounds: int = 4) -> dict:
    import analysis.themes as themes_pkg
    from analysis import themes as engine
    from feedback.extensions import db
    from feedback.services.insights import collect, training

    said = phrases()
    corpus = [(loc, t) for loc, bands in said.items() for texts in bands.values() for t in texts]
    with app.app_context():
        in_use = training.current_tagger()
        db.session.remove()
    with_model = collect.Tagger(
        rules=in_use.rules, model=engine.train(training.seed_examples()), version="bench-model"
    )

    def tag_all(tagger) -> float:
        """Seconds per comment for what collect does per comment besides the database."""
        begin = time.perf_counter()
        for locale, words in corpus:
            language = engine.detect_language(words) or locale
            tagger.tags(words, language)
            collect.search_fold(words, language)
        return (time.perf_counter() - begin) / len(corpus)

    per_round = max(1, submits // rounds)
    warm = 10
    survey_id, links = submit_links(app, warm + per_round * rounds + 1)
    client = app.test_client()
    page = client.get(f"/s/{links[-1]}")
    assert page.status_code == 200, page.status_code
    hidden = [(k, html.unescape(v)) for k, v in HIDDEN.findall(page.get_data(as_text=True))]
    assert {k for k, _ in hidden} >= {"csrf_token", "page"}, hidden
    rng = random.Random(2)

    def submit(token: str) -> float:
        score = rng.choices(SCORES, cum_weights=MIX_CUM)[0]
        words = rng.choice(said["en"][band_of(score)])
        body = urlencode([*hidden, ("nps", str(score)), ("reason", words)])
        begin = time.perf_counter()
        r = client.post(f"/s/{token}", data=body, content_type="application/x-www-form-urlencoded")
        elapsed = time.perf_counter() - begin
        assert r.status_code == 303, (r.status_code, r.get_data(as_text=True)[:300])
        return elapsed

    calls = [0]
    real_tags, real_tag = collect.Tagger.tags, themes_pkg.tag

    def counting_tags(self, *a, **k):
        calls[0] += 1
        return real_tags(self, *a, **k)

    def counting_tag(*a, **k):
        calls[0] += 1
        return real_tag(*a, **k)

    tag_all(in_use), tag_all(with_model)  # warm
    for token in links[:warm]:
        submit(token)
    submit_times, rules_ratio, model_ratio, rules_ms, model_ms = [], [], [], [], []
    for r in range(rounds):  # alternating, so a busy moment of the machine falls on both
        rules = tag_all(in_use)
        model = tag_all(with_model)
        chunk = links[warm + r * per_round : warm + (r + 1) * per_round]
        collect.Tagger.tags, themes_pkg.tag = counting_tags, counting_tag
        try:
            times = [submit(t) for t in chunk]
        finally:
            collect.Tagger.tags, themes_pkg.tag = real_tags, real_tag
        median = statistics.median(times)
        submit_times += times
        rules_ms.append(rules * 1000)
        model_ms.append(model * 1000)
        rules_ratio.append(100 * rules / median)
        model_ratio.append(100 * model / median)
    assert calls[0] == 0, f"{calls[0]} tagger calls during submits"
    with app.app_context():
        stored = db.session.execute(
            text("SELECT count(*) FROM response WHERE survey_id = :s AND status = 'complete'"),
            {"s": survey_id},
        ).scalar()
        db.session.remove()
    assert stored == warm + per_round * rounds, stored
    submit_ms = 1000 * statistics.median(submit_times)
    out = {
        "submit_ms": submit_ms,
        "rules_ms": statistics.median(rules_ms),
        "model_ms": statistics.median(model_ms),
        "rules_pct": statistics.median(rules_ratio),
        "model_pct": statistics.median(model_ratio),
        "tagger": in_use.version,
        "has_model": in_use.model is not None,
        "submits": len(submit_times),
    }
    print(
        f"tagging    per comment {out['rules_ms']:.3f} ms (tagger in use, "
        f"{'rules + model' if out['has_model'] else 'rules only'}) and {out['model_ms']:.3f} ms (rules + "
        f"model) over {len(corpus)} phrases; submit median {submit_ms:.1f} ms "
        f"(p90 {1000 * sorted(submit_times)[int(0.9 * (len(submit_times) - 1))]:.1f} ms) over "
        f"{len(submit_times)} POSTs; tagging/submit {out['rules_pct']:.2f}% and {out['model_pct']:.2f}% "
        f"(median of {rounds} rounds: {', '.join(f'{x:.2f}' for x in rules_ratio)}); tagger calls made "
        f"by the submits: 0 (comments are tagged later, by the worker's collect)",
        flush=True,
    )
    return out
