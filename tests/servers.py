"""Real servers for the tests that send: an SMTP server (aiosmtpd), an HTTP SMS gateway and an API client."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Collects every message the SMTP server accepts; ``fail_next`` makes it answer 4xx/5xx."""

    def __init__(self):
        self.messages = []
        self.recipients: list[list[str]] = []  # the envelope's RCPT TO of each message
        self.fail_next: list[str] = []
        self.delay = 0.0  # seconds per message, to let a test catch a worker mid-batch
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.fail_next:
                return self.fail_next.pop(0)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


def _smtp_server(app, *, utf8: bool):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=utf8)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    return inbox, controller


@pytest.fixture
def smtp(app):
    """A server that offers SMTPUTF8, as most do today."""
    inbox, controller = _smtp_server(app, utf8=True)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_ascii(app):
    """A server without SMTPUTF8: Unicode domains go as IDNA, Unicode mailboxes cannot go."""
    inbox, controller = _smtp_server(app, utf8=False)
    yield inbox
    controller.stop()


class Gateway:
    def __init__(self):
        self.received = []
        self.status = 200


@pytest.fixture
def sms_gateway(app):
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if gateway.status == 200:
                gateway.received.append({**body, "auth": self.headers.get("Authorization")})
            self.send_response(gateway.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/send", SMS_GATEWAY_TOKEN="gw-token"
    )
    yield gateway
    server.shutdown()
    server.server_close()


class Api:
    def __init__(self, client, key):
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def post(self, url, body):
        return self.client.post(f"/api/v1{url}", json=body, headers=self.headers)

    def get(self, url):
        return self.client.get(f"/api/v1{url}", headers=self.headers)

    def delete(self, url):
        return self.client.delete(f"/api/v1{url}", headers=self.headers)


@pytest.fixture
def api(app, client):
    with app.app_context():
        from feedback.services import accounts

        _, key = accounts.create_api_key("shop")
    return Api(client, key)


def run_worker(app, now: str):
    result = app.test_cli_runner().invoke(args=["worker", "--once", "--now", now])
    assert result.exit_code == 0, result.output
    return result.output
