"""Webhooks: events queued once per hook, POSTed signed to a real receiver, retried, then given up."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.insights.helpers import WHEN, Said, seed
from tests.servers import free_port

LATER = WHEN + timedelta(hours=1)
BEFORE = WHEN - timedelta(days=1)


class Receiver:
    """A local HTTP server that records each POST; ``answers`` are the statuses to give first."""

    def __init__(self):
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _hook(app, url, events=("case.opened", "response.completed"), now=BEFORE):
    with app.app_context():
        from feedback.services.insights import webhooks

        hook = webhooks.add(url, events, now=now)
        return hook.id, hook.secret


def _deliveries(app):
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import WebhookDelivery

        rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [(d.event, d.status, d.attempts, d.last_status_code, d.last_error) for d in rows]


def test_events_are_queued_once_and_posted_signed(app, receiver):
    seed(app, [Said(2, "the kettle broke", email="ann@example.org")])
    _, secret = _hook(app, receiver.url)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import WebhookScan
        from feedback.services.insights import cases, webhooks

        cases.open_pending(LATER)
        assert webhooks.queue_events(LATER) == 2
        assert webhooks.queue_events(LATER) == 0
        # A rescan from the start finds the same events and the unique key keeps them single.
        for scan in db.session.scalars(select(WebhookScan)):
            scan.last_id = 0
        db.session.commit()
        assert webhooks.queue_events(LATER) == 0
        done = webhooks.deliver_due(LATER)
    assert (done.delivered, done.retried, done.failed) == (2, 0, 0)
    assert sorted(h["X-Candor-Event"] for h, _ in receiver.requests) == ["case.opened", "response.completed"]
    for headers, body in receiver.requests:
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Candor-Delivery"].isdigit()
        stamp, signature = headers["X-Candor-Timestamp"], headers["X-Candor-Signature"]
        assert stamp == str(int(LATER.timestamp())) and signature.startswith("sha256=")
        assert webhooks.verify(secret, stamp, body, signature, now=LATER)
        assert not webhooks.verify(secret, stamp, body + b" ", signature, now=LATER)
        assert not webhooks.verify("0" * 64, stamp, body, signature, now=LATER)
        assert not webhooks.verify(secret, stamp, body, signature, now=LATER + timedelta(minutes=6))
        payload = json.loads(body)
        assert payload["event"] == headers["X-Candor-Event"] and payload["id"] and payload["created_at"]
        # No contact details and no free text leave Candor.
        assert b"ann@example.org" not in body and b"kettle" not in body
    assert [s for _, s, *_ in _deliveries(app)] == ["delivered", "delivered"]


def test_hooks_hear_only_their_events_and_only_after_they_were_added(app, receiver):
    seed(app, [Said(2, "the kettle broke")])
    _hook(app, receiver.url, events=["case.closed"])
    _hook(app, receiver.url, events=["response.completed"], now=LATER + timedelta(days=1))
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, CaseEvent
        from feedback.services.insights import cases, webhooks

        cases.open_pending(LATER)
        assert webhooks.queue_events(LATER) == 0
        case = db.session.scalar(select(Case))
        db.session.add(
            CaseEvent(case_id=case.id, at=LATER, kind="status", data={"from": "open", "to": "waiting"})
        )
        db.session.add(
            CaseEvent(case_id=case.id, at=LATER, kind="status", data={"from": "waiting", "to": "closed"})
        )
        db.session.commit()
        assert webhooks.queue_events(LATER) == 1
    assert [e for e, *_ in _deliveries(app)] == ["case.closed"]


def test_an_alert_and_its_reopening_are_two_events(app, receiver):
    _hook(app, receiver.url, events=["alert.opened"])
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Alert
        from feedback.services.insights import webhooks

        alert = Alert(
            key="score:x", kind="score", metric="nps", message="NPS fell", opened_at=WHEN, last_seen_at=WHEN
        )
        db.session.add(alert)
        db.session.commit()
        assert webhooks.queue_events(WHEN) == 1
        alert.status, alert.status_changed_at = "acknowledged", LATER
        db.session.commit()
        assert webhooks.queue_events(LATER) == 0
        alert.status, alert.status_changed_at = "open", LATER + timedelta(hours=1)
        db.session.commit()
        assert webhooks.queue_events(LATER) == 1
        assert webhooks.queue_events(LATER) == 0


def test_a_failed_post_is_retried_with_backoff_then_delivered(app, receiver):
    seed(app, [Said(9, "fine")])
    _hook(app, receiver.url, events=["response.completed"])
    receiver.answers = [500]
    with app.app_context():
        from feedback.services.insights import webhooks

        webhooks.queue_events(LATER)
        assert webhooks.deliver_due(LATER).retried == 1
        assert _deliveries(app) == [("response.completed", "pending", 1, 500, "HTTP 500")]
        assert webhooks.deliver_due(LATER + timedelta(seconds=59)).delivered == 0
        assert webhooks.deliver_due(LATER + timedelta(minutes=1)).delivered == 1
    assert _deliveries(app) == [("response.completed", "delivered", 2, 204, None)]
    # The same delivery id both times, so a receiver can tell a retry from a new event.
    assert len({h["X-Candor-Delivery"] for h, _ in receiver.requests}) == 1


def test_a_dead_hook_fails_after_six_attempts_and_never_stops_the_others(app, receiver):
    seed(app, [Said(9, "fine")])
    _hook(app, f"http://127.0.0.1:{free_port()}/nobody", events=["response.completed"])
    _hook(app, receiver.url, events=["response.completed"])
    with app.app_context():
        from feedback.services.insights import webhooks

        webhooks.queue_events(LATER)
        moment = LATER
        first = webhooks.deliver_due(moment)
        assert (first.delivered, first.retried) == (1, 1)
        for wait in webhooks.BACKOFF:
            moment += wait
            done = webhooks.deliver_due(moment)
        assert (done.retried, done.failed) == (0, 1)
        assert webhooks.deliver_due(moment + timedelta(days=1)) == webhooks.Delivered()
    dead, good = _deliveries(app)
    assert dead[1:4] == ("failed", 6, None) and "refused" in dead[4].lower()
    assert good[1] == "delivered" and len(receiver.requests) == 1


def test_cli_adds_lists_and_removes_hooks(app, receiver):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["webhooks", "add", receiver.url, "--events", "case.opened,alert.opened"])
    assert added.exit_code == 0, added.output
    secret = added.output.strip().splitlines()[-1]
    assert len(secret) == 64 and int(secret, 16) >= 0
    listed = runner.invoke(args=["webhooks", "list"])
    assert receiver.url in listed.output and "alert.opened, case.opened" in listed.output
    assert "0 pending, 0 delivered, 0 failed" in listed.output and secret not in listed.output
    hook_id = listed.output.split()[0]
    assert runner.invoke(args=["webhooks", "remove", hook_id]).exit_code == 0
    assert "No webhooks." in runner.invoke(args=["webhooks", "list"]).output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "ftp://example.com/x", "--events", "case.opened"], "http"),
        (["add", "https:///nohost", "--events", "case.opened"], "host"),
        (["add", "https://example.com/x", "--events", "case.reopened"], "unknown: case.reopened"),
        (["add", "https://example.com/x", "--events", ","], "at least one"),
        (["add", "https://example.com/x"], "--events"),
        (["remove", "99"], "no webhook 99"),
        (["remove", "x"], "not a valid integer"),
    ],
)
def test_cli_refuses_bad_input(app, args, says):
    result = app.test_cli_runner().invoke(args=["webhooks", *args])
    assert result.exit_code == 2 and says in result.output, result.output


def test_the_worker_queues_and_delivers(app, receiver):
    seed(app, [Said(2, "the kettle broke")])
    _hook(app, receiver.url, events=["case.opened"])
    result = app.test_cli_runner().invoke(args=["worker", "--once", "--now", LATER.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 webhook events queued, 1 delivered" in result.output
    assert [h["X-Candor-Event"] for h, _ in receiver.requests] == ["case.opened"]


def test_a_response_completed_after_later_ones_is_still_announced(app, receiver):
    seed(app, [Said(9, "fine"), Said(8, "ok")])
    _hook(app, receiver.url, events=["response.completed"])
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Response
        from feedback.services.insights import webhooks

        first = db.session.scalar(select(Response).order_by(Response.id))
        first.status = "partial"
        db.session.commit()
        assert webhooks.queue_events(LATER) == 1
        first.status = "complete"
        db.session.commit()
        assert webhooks.queue_events(LATER) == 1
        assert webhooks.queue_events(LATER) == 0
