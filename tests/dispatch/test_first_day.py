"""A newcomer's first day without any set-up: mail lands in instance/mail, links follow the port
served, the demo prints a customer's link, and the dispatch page shows a funnel with opens."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from tests.conftest import make_app
from tests.purchases import later, purchase, survey
from tests.servers import Api, run_worker


@pytest.fixture
def dev_app(tmp_path, sqlite_template, monkeypatch):
    """A development app as `make serve` makes one: no SMTP host, no FEEDBACK_BASE_URL."""
    monkeypatch.setenv("FEEDBACK_INSTANCE_PATH", str(tmp_path / "instance"))
    for name in ("FEEDBACK_SMTP_HOST", "FEEDBACK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    shutil.copyfile(sqlite_template, tmp_path / "dev.db")
    app = make_app(f"sqlite:///{tmp_path}/dev.db", ENV="development")
    yield app
    with app.app_context():
        from feedback.extensions import db

        db.engine.dispose()


def _api(app):
    with app.app_context():
        from feedback.services import accounts

        _, key = accounts.create_api_key("shop")
    return Api(app.test_client(), key)


def test_without_an_smtp_server_mail_is_written_to_the_instance_folder(dev_app, tmp_path):
    from tests.conftest import Auth

    survey(dev_app)
    assert _api(dev_app).post("/purchases", purchase("o-1", "c-1")).status_code == 201
    assert "sent 1" in run_worker(dev_app, later(2))
    (eml,) = (tmp_path / "instance" / "mail").glob("*.eml")
    assert b"Subject:" in eml.read_bytes() and b"/s/" in eml.read_bytes()
    client = dev_app.test_client()
    Auth(dev_app, client).as_role("admin")
    page = client.get("/staff/dispatch").get_data(as_text=True)
    assert "development mailbox" in page and eml.name in page
    shown = client.get(f"/staff/dispatch/mail/{eml.name}")
    assert shown.status_code == 200 and "c-1@example.com" in shown.get_data(as_text=True)
    for bad in ("../dev.db", "x.eml", "%2e%2e%2fdev.db"):
        assert client.get(f"/staff/dispatch/mail/{bad}").status_code == 404


def test_links_follow_the_address_served_in_development(dev_app, tmp_path):
    from feedback import create_app
    from feedback.config import serving_at

    assert dev_app.config["BASE_URL"] == "http://127.0.0.1:5000"
    serving_at(dev_app, "http://127.0.0.1:5101")
    assert dev_app.config["BASE_URL"] == "http://127.0.0.1:5101"
    spec = dev_app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["servers"][0]["url"] == "http://127.0.0.1:5101/api/v1"
    # The worker is another process: it reads the address the server wrote.
    worker = create_app({"ENV": "development", "DATABASE_URL": dev_app.config["DATABASE_URL"]})
    assert worker.config["BASE_URL"] == "http://127.0.0.1:5101"
    survey(worker)
    _api(worker).post("/purchases", purchase("o-1", "c-1"))
    run_worker(worker, later(2))
    (eml,) = (tmp_path / "instance" / "mail").glob("*.eml")
    assert b"http://127.0.0.1:5101/s/" in eml.read_bytes()


def test_an_explicit_base_url_always_wins(tmp_path, sqlite_template, monkeypatch):
    from feedback.config import serving_at

    monkeypatch.setenv("FEEDBACK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.example.com")
    app = make_app(f"sqlite:///{sqlite_template}", ENV="development")
    serving_at(app, "http://127.0.0.1:5101")
    assert app.config["BASE_URL"] == "https://feedback.example.com"
    assert not (tmp_path / "instance" / "served-url").exists()


def test_the_demo_offers_a_customer_link_that_opens_and_counts_as_an_open(app, runner, client, auth):
    assert runner.invoke(args=["demo", "--responses", "300"]).exit_code == 0
    with app.app_context():
        from feedback.services import demo

        link = demo.open_link()
    assert link and "/s/" in link
    path = link.split("127.0.0.1:5000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "<fieldset" in page.get_data(as_text=True)
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Invitation
        from feedback.services.respond import links

        invitation = links.invitation_for(path.rsplit("/", 1)[1])
        first = db.session.scalar(select(Invitation.opened_at).where(Invitation.id == invitation.id))
    assert first is not None
    client.get(path)
    with app.app_context():
        again = db.session.scalar(select(Invitation.opened_at).where(Invitation.id == invitation.id))
    assert again == first  # the first open only
    auth.as_role("analyst")
    html = client.get("/staff/dispatch?days=366").get_data(as_text=True)
    assert "upper bound" in html
    opened = int(html.split("Opened<sup>*</sup></span><strong>", 1)[1].split("<", 1)[0].replace(",", ""))
    assert opened == 1
