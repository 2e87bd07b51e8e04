"""Recovery, measured: after a resolved close the customer is asked once "Did we fix it?",
under the survey's dispatch rule, and the answer counts in the recovery figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from
from tests.insights.helpers import Said, seed

# Recent, since the answer page checks the link's expiry against the clock.
WHEN = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
LATER = WHEN + timedelta(hours=1)
CLOSED = WHEN + timedelta(hours=5)
DUE = CLOSED + timedelta(hours=25)  # the follow-up waits a day after the close


class Mailbox:
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


def _setup(app, said, *, on=True):
    """Cases for ``said``, each response answering a sent invitation; returns the case ids."""
    app.config["FOLLOW_UP_RESOLVED"] = on
    survey_id = seed(app, [Said(s.score, s.text, locale=s.locale, at=WHEN) for s in said])
    with app.app_context():
        import secrets

        from feedback.extensions import db
        from feedback.models import Case, Customer, DispatchRule, Invitation, Response
        from feedback.services import tokens
        from feedback.services.insights import cases

        rule = db.session.scalar(select(DispatchRule).where(DispatchRule.survey_id == survey_id))
        rule.fatigue_days, rule.quiet_start, rule.quiet_end = 30, None, None
        for response in db.session.scalars(select(Response).order_by(Response.id)):
            nonce = secrets.token_hex(16)
            sent = WHEN - timedelta(days=1)
            invitation = Invitation(
                survey_id=survey_id,
                customer_id=response.customer_id,
                locale=response.locale,
                status="responded",
                channel="email",
                sent_at=sent,
                token_nonce=nonce,
                token_hash=tokens.digest(tokens.link_token(nonce)),
            )
            db.session.add(invitation)
            db.session.flush()
            response.invitation_id = invitation.id
            db.session.get(Customer, response.customer_id).last_invited_at = sent
        db.session.commit()
        cases.open_pending(LATER)
        return [c.id for c in db.session.scalars(select(Case).order_by(Case.id))]


def _close(app, case_id, outcome="resolved", at=CLOSED):
    with app.app_context():
        from feedback.services.insights import cases

        cases.update(case_id, None, status="closed", outcome=outcome, now=at)


def _send(app, now=DUE):
    mailbox = Mailbox()
    with app.app_context():
        from feedback.services.dispatch import follow_up_send

        result = follow_up_send.send_due(now, mail=mailbox)
    return result, mailbox.messages


def _token(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"/f/([A-Za-z0-9_-]+)\?answer=yes", text).group(1)


def test_a_resolved_close_asks_once_in_the_customers_language(app, client):
    ids = _setup(app, [Said(2, "my kettle broke after two days", locale="fa"), Said(1, "terrible")])
    _close(app, ids[0])
    _close(app, ids[1], outcome="unresolved")  # only a resolved close asks
    early, messages = _send(app, CLOSED + timedelta(hours=1))
    assert early.sent == 0 and messages == []
    result, messages = _send(app)
    assert result.sent == 1 and len(messages) == 1
    message = messages[0]
    assert message["To"].addresses[0].addr_spec == "c0@example.com"
    assert message["Content-Language"] == "fa"
    assert message["List-Unsubscribe"].startswith("<") and "/u/" in message["List-Unsubscribe"]
    token = _token(message)
    assert len(token) >= 22  # at least 128 bits of a 6-bit alphabet
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import CaseFollowUp
        from feedback.services import tokens
        from feedback.services.insights import cases

        stored = db.session.scalars(select(CaseFollowUp)).one()
        assert stored.token_hash == tokens.digest(token) and token not in str(stored.__dict__)
        # Reopened and closed as resolved again: still one question.
        cases.update(ids[0], None, status="in_progress", now=DUE)
        cases.update(ids[0], None, status="closed", outcome="resolved", now=DUE)
        assert len(db.session.scalars(select(CaseFollowUp)).all()) == 1
    assert _send(app, DUE + timedelta(days=2))[0].sent == 0
    page = client.get(f"/f/{token}?answer=partly")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="fa"' in html and 'dir="rtl"' in html
    assert 'value="partly" checked' in html and "<legend>" in html


def test_never_to_an_opted_out_customer(app):
    ids = _setup(app, [Said(2, "broken"), Said(1, "terrible")])
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, CaseFollowUp, Customer
        from feedback.models.types import utcnow

        first, second = (db.session.get(Case, i) for i in ids)
        db.session.get(Customer, first.customer_id).opted_out_at = utcnow()
        db.session.commit()
        late_customer = second.customer_id
    _close(app, ids[0])
    _close(app, ids[1])
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import CaseFollowUp, Customer
        from feedback.services.dispatch import follow_up_plan

        assert follow_up_plan.schedule_pending(CLOSED + timedelta(hours=1)) == 2
        # The second opts out once its follow-up is scheduled, before it is due.
        db.session.get(Customer, late_customer).opted_out_at = CLOSED + timedelta(hours=2)
        db.session.commit()
    result, messages = _send(app)
    assert result.sent == 0 and messages == []
    with app.app_context():
        rows = db.session.scalars(select(CaseFollowUp).order_by(CaseFollowUp.case_id)).all()
        assert [(r.status, r.suppression_reason) for r in rows] == [
            ("suppressed", "opted_out"),
            ("suppressed", "opted_out"),
        ]
        assert rows[0].token_hash is None  # no link ever made for the first
        assert rows[1].token_hash is not None  # the second was scheduled, then held back


def test_fatigue_other_invitations_count_the_cases_own_does_not(app):
    ids = _setup(app, [Said(2, "broken"), Said(1, "terrible")])
    with app.app_context():
        import secrets

        from feedback.extensions import db
        from feedback.models import Case, Invitation

        # The second customer had another survey's invitation sent two days after the response.
        other = db.session.get(Case, ids[1])
        db.session.add(
            Invitation(
                survey_id=other.survey_id,
                customer_id=other.customer_id,
                status="sent",
                channel="email",
                sent_at=WHEN + timedelta(days=2),
                token_nonce=secrets.token_hex(16),
            )
        )
        db.session.commit()
    _close(app, ids[0])
    _close(app, ids[1])
    result, messages = _send(app)
    assert result.sent == 1 and len(messages) == 1
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, CaseFollowUp, Customer

        rows = {r.case_id: r for r in db.session.scalars(select(CaseFollowUp))}
        assert rows[ids[1]].status == "suppressed" and rows[ids[1]].suppression_reason == "fatigue"
        # A sent follow-up counts for the fatigue of what comes next.
        first = db.session.get(Case, ids[0])
        assert db.session.get(Customer, first.customer_id).last_invited_at == DUE


def test_the_setting_is_off_by_default(app):
    ids = _setup(app, [Said(2, "broken")], on=False)
    assert app.config.get("FOLLOW_UP_RESOLVED") is False
    _close(app, ids[0])
    result, messages = _send(app)
    assert (result.scheduled, result.sent, messages) == (0, 0, [])
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import CaseFollowUp

        assert db.session.scalars(select(CaseFollowUp)).all() == []


def test_the_link_is_single_use_and_the_answer_counts(app, client, auth):
    ids = _setup(app, [Said(2, "broken"), Said(1, "terrible"), Said(3, "awful")])
    for case_id in ids:
        _close(app, case_id)
    _, messages = _send(app)
    tokens_ = [_token(m) for m in messages]
    assert len(tokens_) == 3
    page = client.get(f"/f/{tokens_[0]}").get_data(as_text=True)
    csrf = csrf_from(page)
    assert client.post(f"/f/{tokens_[0]}", data={"answer": "yes"}).status_code == 400  # no CSRF
    bad = client.post(f"/f/{tokens_[0]}", data={"answer": "maybe", "csrf_token": csrf})
    assert bad.status_code == 422 and "Please choose one of the options." in bad.get_data(as_text=True)
    done = client.post(f"/f/{tokens_[0]}", data={"answer": "yes", "csrf_token": csrf})
    assert done.status_code == 303
    again = client.post(f"/f/{tokens_[0]}", data={"answer": "no", "csrf_token": csrf}, follow_redirects=True)
    assert "Thank you for your answer." in again.get_data(as_text=True)
    assert client.post(f"/f/{tokens_[1]}", data={"answer": "partly", "csrf_token": csrf}).status_code == 303
    assert client.get("/f/not-a-real-token-at-all").status_code == 404
    assert client.get(f"/f/{tokens_[2][:-1]}x").status_code == 404
    with app.app_context():
        from statsmodels.stats.proportion import proportion_confint

        from feedback.extensions import db
        from feedback.models import Case
        from feedback.services.insights import recovery

        says = [db.session.get(Case, i).customer_says for i in ids]
        assert says == ["yes", "partly", None]  # the second answer through a used link changed nothing
        whole = recovery.headline(DUE)
        fixed = whole["customer_fixed"]
        low, high = proportion_confint(1, 2, alpha=0.05, method="wilson")
        assert fixed["n"] == 2 and fixed["value"] == pytest.approx(50.0)
        assert (fixed["low"], fixed["high"]) == (pytest.approx(100 * low), pytest.approx(100 * high))
        assert whole["recovery"]["n"] == 3
    auth.as_role("agent")
    html = client.get("/staff/cases").get_data(as_text=True)
    assert "Of 2 customers who answered after a resolved close, 50% say it is fixed" in html
    case_page = client.get(f"/staff/cases/{ids[1]}").get_data(as_text=True)
    assert "partly fixed" in case_page and "The customer answered: partly" in case_page


def test_sms_when_the_invitation_went_by_sms(app, sms_gateway):
    ids = _setup(app, [Said(2, "broken")])
    with app.app_context():
        from feedback.extensions import db
        from feedback.models import Case, Customer, Invitation, Response

        case = db.session.get(Case, ids[0])
        db.session.get(Customer, case.customer_id).phone = "+15550100"
        invitation_id = db.session.get(Response, case.response_id).invitation_id
        db.session.get(Invitation, invitation_id).channel = "sms"
        db.session.commit()
    _close(app, ids[0])
    result, messages = _send(app)
    assert result.sent == 1 and messages == [] and result.by_channel == {"sms": 1}
    (sms,) = sms_gateway.received
    assert sms["to"] == "+15550100" and "Did we fix it?" in sms["text"] and "/f/" in sms["text"]
