"""The voice-of-the-customer bench's data and measures (bench/insights.py runs them): the
million-response database, the export beside a bare SELECT, and the tagging cost of a submit."""

from __future__ import annotations

import csv
import hashlib
import itertools
import os
import random
import re
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from feedback import create_app  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 -- a throwaway database
PASSWORD = "correct horse battery"  # noqa: S105 -- a throwaway account
LOCALES, LOCALE_P = ("en", "fa", "ar", "ru"), (0.45, 0.25, 0.15, 0.15)
STORES = [f"S{i:02d}" for i in range(50)]
TIERS, CHANNELS = ["top", "big", "medium", "small"], ["online", "store", "phone"]
REGIONS = ["North", "South", "East", "West", "Central"]
CATEGORIES = ["electronics", "home", "apparel", "grocery"]
MIX = [0.06, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.14, 0.2, 0.15, 0.2]
SCORES, MIX_CUM = range(11), list(itertools.accumulate(MIX))
LOCALE_CUM = list(itertools.accumulate(LOCALE_P))
CUSTOMERS = 50_000
CHUNK = 20_000
TARGET_RETAG, TARGET_DASHBOARD, TARGET_EXPORT, TARGET_TAGGING = 2_000, 2.0, 50_000, 10.0
FLAT_MB = 20.0
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def make_app(url: str):
    return create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            "RATELIMIT_ENABLED": False,
            # The product's default tagger: the rules and the seed set's model.
            "THEME_SEED_MODEL": True,
        }
    )


def rss_mb() -> float:
    """Resident memory now (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


class Progress:
    """One line updated in place on a terminal; a line per 10% otherwise."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.tty = label, total, sys.stderr.isatty()
        self.start, self.shown = time.perf_counter(), -1

    def __call__(self, done: int) -> None:
        tenth = 10 * done // max(self.total, 1)
        if not self.tty and tenth == self.shown:
            return
        self.shown = tenth
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        line = f"  {self.label}: {done:,}/{self.total:,} ({rate:,.0f}/s)"
        sys.stderr.write(f"\r{line}" if self.tty else f"{line}\n")
        if self.tty and done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def phrases() -> dict[str, dict[str, list[str]]]:
    """locale -> band -> every demo comment of that band, whatever its theme."""
    from feedback.services.demo.phrases import COMMENTS

    out: dict[str, dict[str, list[str]]] = {}
    for locale, themes in COMMENTS.items():
        for bands in themes.values():
            for band, texts in bands.items():
                out.setdefault(locale, {}).setdefault(band, []).extend(texts)
    return out


def fake_token_hash(ident: int) -> str:
    """A sent invitation's link digest (64 hex digits, spread as SHA-256 spreads them), so the
    unique index on it, and the statistics ANALYZE keeps of it, look as in production, where
    every sent invitation has one; nobody opens these links."""
    return hashlib.sha256(f"bench-link-{ident}".encode()).hexdigest()


def band_of(score: int) -> str:
    return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"


# ---------------------------------------------------------------------------------- data


def build(app, n: int, c: int, seed: int = 1) -> int:
    """The survey and its responses, answers, invitations, customers and comments; its id."""
    from analysis import themes as engine
    from feedback.extensions import db
    from feedback.models import Answer, Comment, Customer, Invitation, Question, Response
    from feedback.models.segments import period_of
    from feedback.services.design import catalog, designing
    from feedback.services.insights.collect import search_fold
    from surveys.templates import transactional_nps

    rng = random.Random(seed)
    said = phrases()
    end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=365)
    with app.app_context():
        survey = designing.create_published(transactional_nps(LOCALES))
        survey_id = survey.id
        version = catalog.live_version(survey_id).id
        q = dict(
            db.session.execute(select(Question.key, Question.id).where(Question.version_id == version)).all()
        )
        db.session.commit()
        engine_ = db.engine
        tables = {m: m.__table__ for m in (Customer, Invitation, Response, Answer, Comment)}

        def load(rows_by_table: list[tuple]) -> None:
            with engine_.begin() as conn:  # one transaction per batch
                for model, rows in rows_by_table:
                    if rows:
                        conn.execute(insert(tables[model]), rows)

        customers = min(CUSTOMERS, max(n, 1))
        load(
            [
                (
                    Customer,
                    [
                        {
                            "id": i,
                            "external_id": f"c{i}",
                            "locale": rng.choices(LOCALES, cum_weights=LOCALE_CUM)[0],
                        }
                        for i in range(1, customers + 1)
                    ],
                )
            ]
        )
        commented = set(rng.sample(range(1, n + 1), min(c, n)))
        extra = n // 2  # invitations nobody answered
        progress = Progress("responses", n)
        answer_id = comment_id = 0
        span = int((end - start).total_seconds())
        for low in range(1, n + 1, CHUNK):
            invitations, responses, answers, comments = [], [], [], []
            for rid in range(low, min(low + CHUNK, n + 1)):
                segs = {
                    "tier": rng.choice(TIERS),
                    "sales_channel": rng.choice(CHANNELS),
                    "region": rng.choice(REGIONS),
                    "category": rng.choice(CATEGORIES),
                    "store": rng.choice(STORES),
                }
                customer = rng.randrange(1, customers + 1)
                locale = rng.choices(LOCALES, cum_weights=LOCALE_CUM)[0]
                at = start + timedelta(seconds=rng.randrange(span))
                sent = at - timedelta(hours=rng.randrange(1, 72))
                score = rng.choices(SCORES, cum_weights=MIX_CUM)[0]
                invitations.append(
                    {
                        "id": rid,
                        "survey_id": survey_id,
                        "version_id": version,
                        "customer_id": customer,
                        "channel": "email",
                        "locale": locale,
                        "status": "responded",
                        "token_hash": fake_token_hash(rid),
                        "sent_at": sent,
                        "responded_at": at,
                        "period": period_of(sent),
                        "attempts": 1,
                        "created_at": sent,
                        **segs,
                    }
                )
                responses.append(
                    {
                        "id": rid,
                        "survey_id": survey_id,
                        "version_id": version,
                        "invitation_id": rid,
                        "customer_id": customer,
                        "source": "invitation",
                        "locale": locale,
                        "status": "complete",
                        "page": 1,
                        "segments": {},
                        "review_prompted": False,
                        "started_at": at - timedelta(seconds=40),
                        "submitted_at": at,
                        "period": period_of(at),
                        **segs,
                    }
                )
                answer_id += 1
                answers.append(
                    {
                        "id": answer_id,
                        "response_id": rid,
                        "question_id": q["nps"],
                        "number": float(score),
                        "text": None,
                    }
                )
                if rid in commented:
                    band = band_of(score)
                    words = rng.choice(said[locale][band])
                    answer_id += 1
                    comment_id += 1
                    answers.append(
                        {
                            "id": answer_id,
                            "response_id": rid,
                            "question_id": q["reason"],
                            "number": None,
                            "text": words,
                        }
                    )
                    language = engine.detect_language(words) or locale
                    comments.append(
                        {
                            "id": comment_id,
                            "answer_id": answer_id,
                            "response_id": rid,
                            "survey_id": survey_id,
                            "customer_id": customer,
                            "text": words,
                            "search_text": search_fold(words, language),
                            "language": language,
                            "score": float(score),
                            "band": band,
                            "submitted_at": at,
                            "period": period_of(at),
                            "tagged": False,
                            "tagged_with": None,
                            **segs,
                        }
                    )
            load([(Invitation, invitations), (Response, responses), (Answer, answers), (Comment, comments)])
            progress(rid)
        progress = Progress("unanswered invitations", extra)
        for low in range(n + 1, n + extra + 1, CHUNK):
            rows = []
            for iid in range(low, min(low + CHUNK, n + extra + 1)):
                sent = start + timedelta(seconds=rng.randrange(span))
                rows.append(
                    {
                        "id": iid,
                        "survey_id": survey_id,
                        "version_id": version,
                        "customer_id": rng.randrange(1, customers + 1),
                        "channel": "email",
                        "locale": rng.choices(LOCALES, cum_weights=LOCALE_CUM)[0],
                        "status": "sent",
                        "token_hash": fake_token_hash(iid),
                        "sent_at": sent,
                        "period": period_of(sent),
                        "attempts": 1,
                        "created_at": sent,
                        "tier": rng.choice(TIERS),
                        "sales_channel": rng.choice(CHANNELS),
                        "region": rng.choice(REGIONS),
                        "category": rng.choice(CATEGORIES),
                        "store": rng.choice(STORES),
                    }
                )
            load([(Invitation, rows)])
            progress(iid - n)
        with engine_.begin() as conn:
            if engine_.dialect.name == "postgresql":  # ids were given, so move the sequences on
                for table in ("customer", "invitation", "response", "answer", "comment"):
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
            conn.exec_driver_sql("ANALYZE")
        db.session.remove()
    return survey_id


# ------------------------------------------------------------------------------ 3. export


def sampled(rows, marks: list[int], samples: list):
    """``rows`` passed through, the resident memory noted after each mark (header excluded)."""
    it = iter(rows)
    yield next(it)
    pending = list(marks)
    for i, row in enumerate(it, 1):
        yield row
        if pending and i == pending[0]:
            samples.append((i, rss_mb()))
            pending.pop(0)


def app_export(app, survey_id: int, marks: list[int]) -> tuple[float, int, list, float]:
    from feedback.extensions import db
    from feedback.services import sheets
    from feedback.services.design import catalog
    from feedback.services.insights import export

    samples: list = []
    with app.app_context(), open(os.devnull, "wb") as out:
        survey = catalog.get_survey(survey_id)
        peak = peak_mb()
        begin = time.perf_counter()
        count = 0
        for chunk in sheets.csv_chunks(sampled(export.response_rows(survey, for_csv=True), marks, samples)):
            out.write(chunk.encode("utf-8"))
            count += chunk.count("\r\n")
        elapsed = time.perf_counter() - begin
        db.session.remove()
    return elapsed, count - 1, samples, peak_mb() - peak


def bare_export(app, survey_id: int, marks: list[int]) -> tuple[float, int, list, float]:
    """One SELECT of the responses with both answers, csv.writer into /dev/null."""
    from feedback.extensions import db
    from feedback.models import Question
    from feedback.services.design import catalog

    sql = text(
        "SELECT r.id, r.submitted_at, v.number, r.source, r.locale, c.external_id, r.tier, "
        "r.sales_channel, r.region, r.category, r.store, nps.number, reason.text "
        "FROM response r JOIN survey_version v ON v.id = r.version_id "
        "LEFT JOIN customer c ON c.id = r.customer_id "
        "LEFT JOIN answer nps ON nps.response_id = r.id AND nps.question_id = :nps "
        "LEFT JOIN answer reason ON reason.response_id = r.id AND reason.question_id = :reason "
        "WHERE r.survey_id = :survey AND r.status = 'complete' ORDER BY r.id"
    )
    samples: list = []
    with app.app_context():
        version = catalog.live_version(survey_id).id
        q = dict(
            db.session.execute(select(Question.key, Question.id).where(Question.version_id == version)).all()
        )
        db.session.remove()
        with db.engine.connect() as conn, open(os.devnull, "w", encoding="utf-8", newline="") as out:
            peak = peak_mb()
            begin = time.perf_counter()
            writer = csv.writer(out)
            writer.writerow(["response", "submitted_at", "version", "source", "locale", "customer"])
            result = conn.execution_options(stream_results=True).execute(
                sql, {"nps": q["nps"], "reason": q["reason"], "survey": survey_id}
            )
            pending, count = list(marks), 0
            for row in result:
                writer.writerow(row)
                count += 1
                if pending and count == pending[0]:
                    samples.append((count, rss_mb()))
                    pending.pop(0)
            elapsed = time.perf_counter() - begin
    return elapsed, count, samples, peak_mb() - peak


def measure_export(app, survey_id: int, n: int) -> dict:
    marks = sorted({max(1, n // 10), max(1, n // 2), n})
    b_time, b_rows, b_samples, b_peak = bare_export(app, survey_id, marks)
    a_time, a_rows, a_samples, a_peak = app_export(app, survey_id, marks)
    assert a_rows == b_rows == n, (a_rows, b_rows, n)

    def shown(samples):
        return ", ".join(f"{k:,}: {mb:.0f} MB" for k, mb in samples)

    growth = a_samples[-1][1] - a_samples[0][1]
    b_growth = b_samples[-1][1] - b_samples[0][1]
    rate, b_rate = a_rows / a_time, b_rows / b_time
    print(
        f"export     {a_rows:,} rows in {a_time:.1f} s: {rate:,.0f} rows/s (bare SELECT + csv "
        f"{b_rate:,.0f} rows/s, ratio {rate / b_rate:.2f}); resident memory at {shown(a_samples)} "
        f"(growth {growth:+.1f} MB; peak grew {a_peak:.1f} MB); bare at {shown(b_samples)} "
        f"(growth {b_growth:+.1f} MB; peak grew {b_peak:.1f} MB)",
        flush=True,
    )
    return {"rate": rate, "bare": b_rate, "growth": growth, "bare_growth": b_growth, "samples": a_samples}
