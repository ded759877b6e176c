"""The one outbox: addresses in any script, permanent and temporary refusals, hanging relays,
claims that cannot be stolen, mail a person waits for, and what staff see."""
import collections
import datetime as dt
import os
import threading
import time

import pytest

from advocacy.extensions import db
from advocacy.outbox.models import OutboxKind, OutboxMessage, OutboxStatus
from advocacy.outbox.sender import deliver
from advocacy.outbox.services import queue
from advocacy.pairings.models import PairingStatus
from advocacy.reminders.models import ReminderStatus
from advocacy.reminders.planner import plan
from tests.conftest import mail_text

UTF8_ADDRESS = "karl.dvořák@example.org"
NOW = dt.datetime(2026, 12, 1, 7, 5, tzinfo=dt.timezone.utc)


def _notice(recipient, name="Karl Dvořák", n=0, now=NOW, **kw):
    return queue(OutboxKind.NUDGE, "outbox/notice", subject=f"Notice {n} for {name}", recipient=recipient,
                 recipient_name=name, now=now, name=name, paragraphs=[f"Paragraph {n}: «quotes», apostrophe's."],
                 link=None, **kw)


def _all(**filters):
    stmt = db.select(OutboxMessage).order_by(OutboxMessage.id)
    for k, v in filters.items():
        stmt = stmt.where(getattr(OutboxMessage, k) == v)
    return db.session.scalars(stmt).all()


# -- addresses in any script ------------------------------------------------------------------
def test_non_ascii_address_is_delivered_by_a_server_that_speaks_smtputf8(smtputf8_server):
    _notice(UTF8_ADDRESS)
    db.session.commit()
    stats = deliver(NOW)
    assert stats["sent"] == 1
    arrived = smtputf8_server.messages[0]
    assert arrived["to"] == [UTF8_ADDRESS]
    msg = arrived["message"]
    assert "karl.dvořák@example.org" in str(msg["To"]) and "Dvořák" in str(msg["To"])
    assert "«quotes», apostrophe's" in mail_text(arrived)


def test_unicode_display_name_is_rfc2047_encoded_for_an_ascii_address(smtp_server):
    _notice("karl@example.org", name="Карл Дворжак «Kolya» O'Brien")
    db.session.commit()
    deliver(NOW)
    raw_to = smtp_server.messages[0]["message"].get_all("To")[0]
    import email.header

    decoded = str(email.header.make_header(email.header.decode_header(raw_to)))
    assert "Карл Дворжак" in decoded and "karl@example.org" in decoded


def test_without_smtputf8_that_message_fails_with_a_reason_and_the_batch_goes_on(smtp_server, run_plan_and_pairings):
    pairings = run_plan_and_pairings(["anna@example.org", UTF8_ADDRESS, "ben@example.org"])
    stats = deliver(NOW)
    assert stats["sent"] == 2 and stats["failed"] == 1
    failed = _all(status=OutboxStatus.FAILED)
    assert len(failed) == 1 and failed[0].recipient == UTF8_ADDRESS
    assert "SMTPUTF8" in failed[0].last_error and failed[0].attempts == 1
    assert [r.status for r in failed[0].reminders] == [ReminderStatus.FAILED]
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["anna@example.org", "ben@example.org"]
    assert len(pairings) == 3


def test_invite_to_a_non_ascii_address_without_smtputf8_answers_no_500(client, login_as, smtp_server,
                                                                       create_parliamentarian, create_prisoner):
    login_as("staff")
    parl = create_parliamentarian(email=UTF8_ADDRESS, full_name="Karl Dvořák")
    prisoner = create_prisoner()
    resp = client.post("/matching/invite", data={"parliamentarian_id": parl.id, "prisoner_id": prisoner.id})
    assert resp.status_code == 302
    msg = _all(kind=OutboxKind.INVITATION)[0]
    assert msg.status == OutboxStatus.FAILED and "SMTPUTF8" in msg.last_error
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200 and b"SMTPUTF8" in page.data  # the pairing page shows why


def test_addresses_are_validated_on_entry_by_forms_and_the_api(client, login_as):
    login_as("staff")
    resp = client.post("/parliamentarians/new", data={"full_name": "X", "country": "DE", "email": "not an address@@x",
                                                     "time_zone": "Europe/Berlin", "parliament": "European Parliament",
                                                     "chamber": "single"})
    assert resp.status_code == 400 and b"is not valid" in resp.data
    resp = client.post("/parliamentarians/new", data={"full_name": "Karl Dvořák", "country": "CZ", "email": UTF8_ADDRESS,
                                                     "time_zone": "Europe/Prague", "parliament": "European Parliament",
                                                     "chamber": "single"})
    assert resp.status_code == 302


# -- refusals ---------------------------------------------------------------------------------
def test_550_fails_at_once_and_451_backs_off(smtp_server):
    smtp_server.reject.add("gone@example.org")
    smtp_server.defer.add("busy@example.org")
    _notice("gone@example.org", n=1)
    _notice("busy@example.org", n=2)
    db.session.commit()
    deliver(NOW)
    gone, busy = _all()
    assert gone.status == OutboxStatus.FAILED and gone.attempts == 1 and "550" in gone.last_error
    assert busy.status == OutboxStatus.PENDING and busy.attempts == 1 and "450" in busy.last_error
    assert busy.next_attempt_at > NOW


def test_451_on_an_invitation_is_retried_and_arrives(client, login_as, smtp_server, create_parliamentarian, create_prisoner):
    login_as("staff")
    smtp_server.fail_next = 1
    parl, prisoner = create_parliamentarian(), create_prisoner()
    resp = client.post("/matching/invite", data={"parliamentarian_id": parl.id, "prisoner_id": prisoner.id})
    assert resp.status_code == 302
    msg = _all(kind=OutboxKind.INVITATION)[0]
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 1 and "451" in msg.last_error
    assert smtp_server.messages == []
    deliver(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    db.session.refresh(msg)
    assert msg.status == OutboxStatus.SENT and len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["message"]["Message-ID"] == msg.message_id
    assert "/matching/invitations/" in mail_text(smtp_server.messages[0])


def test_a_failing_build_fails_that_message_only(smtp_server, monkeypatch):
    from advocacy.outbox import sender

    _notice("a@example.org", n=1)
    broken = _notice("b@example.org", n=2)
    _notice("c@example.org", n=3)
    db.session.commit()
    real = sender.stored_message

    def flaky(msg):
        if msg.id == broken.id:
            raise RuntimeError("template exploded")
        return real(msg)

    monkeypatch.setattr(sender, "stored_message", flaky)
    stats = deliver(NOW)
    assert stats["sent"] == 2 and stats["failed"] == 1
    db.session.refresh(broken)
    assert broken.status == OutboxStatus.FAILED and "template exploded" in broken.last_error


# -- a relay that hangs -----------------------------------------------------------------------
def test_relay_hanging_on_a_tenth_of_messages_still_delivers_all_the_others_in_one_run(app, smtp_server):
    app.config["MAIL_TIMEOUT"] = 0.5
    msgs = [_notice(f"r{i}@example.org", n=i) for i in range(30)]
    db.session.commit()
    hanging = {m.message_id for m in msgs[::10]}
    smtp_server.hang = hanging
    started = time.monotonic()
    stats = deliver(NOW)
    assert time.monotonic() - started < 15
    assert stats["sent"] == 27 and stats["retry"] == 3
    assert len(smtp_server.messages) == 27
    for m in _all():
        if m.message_id in hanging:
            assert m.status == OutboxStatus.PENDING and m.attempts == 1 and "Connection" in m.last_error
        else:
            assert m.status == OutboxStatus.SENT


def test_one_run_drains_several_batches_and_stops_at_its_budget(app, smtp_server):
    for i in range(25):
        _notice(f"d{i}@example.org", n=i)
    db.session.commit()
    stats = deliver(NOW, batch_size=10)
    assert stats["sent"] == 25 and stats["claimed"] == 25
    for i in range(5):
        _notice(f"e{i}@example.org", n=i)
    db.session.commit()
    stats = deliver(NOW, batch_size=1, budget_seconds=0)
    assert stats["sent"] == 1  # a zero budget stops after the first batch


# -- claims that cannot be stolen ---------------------------------------------------------------
def test_a_sender_whose_claim_was_taken_neither_sends_nor_finishes_the_row(app, smtp_server):
    from advocacy.outbox import sender

    msgs = [_notice(f"s{i}@example.org", n=i) for i in range(3)]
    db.session.commit()
    token = "a" * 32
    ids = sender.claim(NOW, 10, token)
    assert len(ids) == 3
    # Another sender takes the second row (as if our lease had expired).
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == msgs[1].id).values(claim_token="b" * 32))
    db.session.commit()
    run = sender._Run(NOW, False)
    run.token = token
    run.send_batch(ids)
    run.close()
    assert run.stats["sent"] == 2 and run.stats["lost_claim"] == 1
    db.session.expire_all()
    stolen = db.session.get(OutboxMessage, msgs[1].id)
    assert stolen.status == OutboxStatus.SENDING and stolen.claim_token == "b" * 32 and stolen.attempts == 0
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["s0@example.org", "s2@example.org"]


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL (row locks and concurrent senders)")
def test_two_senders_slow_relay_short_lease_each_message_exactly_once(app, smtp_server):
    n = 16
    app.config.update(MAIL_LEASE_SECONDS=1, MAIL_COMMIT_EVERY=3, MAIL_BATCH_SIZE=n)
    smtp_server.delay = 0.35  # a group of 3 takes ~1.05 s: longer than the lease; a batch ~5.6 s
    for i in range(n):
        _notice(f"slow{i}@example.org", n=i)
    db.session.commit()
    results, errors = [], []

    def sender_thread():
        try:
            with app.app_context():
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    stats = deliver(NOW, batch_size=n)
                    results.append(stats)
                    left = db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
                        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))))
                    db.session.commit()
                    if not left:
                        break
                    time.sleep(0.05)
                db.session.remove()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender_thread) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    ids = collections.Counter(m["message"]["Message-ID"] for m in smtp_server.messages)
    assert len(ids) == n and max(ids.values()) == 1, ids
    # Every "sent" status was written by the one sender that sent it: no double finish.
    assert sum(r["sent"] for r in results) == n
    db.session.expire_all()
    assert collections.Counter(m.status for m in _all()) == {OutboxStatus.SENT: n}
    assert all(m.attempts == 0 for m in _all())


# -- mail a person is waiting for ----------------------------------------------------------------
def test_password_reset_goes_through_the_outbox_and_is_sent_by_the_request(client, create_user, smtp_server):
    create_user(email="staffer@example.org")
    assert client.post("/auth/forgot", data={"email": "staffer@example.org"}).status_code == 302
    msg = _all(kind=OutboxKind.PASSWORD_RESET)[0]
    assert msg.status == OutboxStatus.SENT and len(smtp_server.messages) == 1
    assert msg.body_text is None and msg.body_html is None  # the secret link is not kept once sent


def test_password_reset_with_the_relay_down_is_retried_by_the_sender(app, client, create_user, smtp_server):
    create_user(email="staffer@example.org")
    smtp_server.fail_next = 1
    assert client.post("/auth/forgot", data={"email": "staffer@example.org"}).status_code == 302
    msg = _all(kind=OutboxKind.PASSWORD_RESET)[0]
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 1
    deliver(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    db.session.refresh(msg)
    assert msg.status == OutboxStatus.SENT and len(smtp_server.messages) == 1


def test_non_reminder_mail_is_not_cancelled_by_a_reminder_unsubscribe(smtp_server, create_parliamentarian):
    from advocacy.reminders.models import ReminderPreference

    parl = create_parliamentarian()
    db.session.add(ReminderPreference(parliamentarian_id=parl.id, is_unsubscribed=True))
    queue(OutboxKind.NUDGE, "outbox/notice", subject="Hello", recipient=parl.email, to_parliamentarian=parl,
          now=NOW, name=parl.full_name, paragraphs=["x"], link=None)
    db.session.commit()
    plan(NOW)
    db.session.commit()
    assert deliver(NOW)["sent"] == 1


# -- what staff see -------------------------------------------------------------------------------
def test_staff_see_every_kind_with_status_attempts_error_and_a_resend_button(client, login_as, smtp_server):
    smtp_server.reject.add("gone@example.org")
    failed = _notice("gone@example.org", n=1)
    _notice("ok@example.org", n=2)
    db.session.commit()
    deliver(NOW)
    login_as("staff")
    page = client.get("/reminders/outbox").get_data(as_text=True)
    assert "Reminder from staff" in page and "550" in page and f"/reminders/outbox/{failed.id}/retry" in page
    dash = client.get("/staff/").get_data(as_text=True)
    assert "Failed mail" in dash and "reminders/outbox?status=failed" in dash


@pytest.fixture()
def run_plan_and_pairings(create_parliamentarian, create_prisoner, create_pairing):
    def make(emails):
        pairings = []
        for email in emails:
            prisoner = create_prisoner(birth_date=None, birth_year=1980, detained_on=dt.date(2021, 12, 1))
            parl = create_parliamentarian(email=email)
            pairings.append(create_pairing(parliamentarian=parl, prisoner=prisoner, status=PairingStatus.ACTIVE,
                                           started_on=None, created_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)))
        plan(NOW)
        db.session.commit()
        return pairings
    return make


def test_urgent_mail_leaves_after_the_response_has_gone_out(app, create_user, smtp_server):
    """As in production: the reset mail is sent once the WSGI server closes the response, so
    the answer for an existing account takes no longer than for an unknown one."""
    app.config["MAIL_URGENT_AFTER_RESPONSE"] = True
    smtp_server.delay = 0.5
    create_user(email="staffer@example.org")
    client = app.test_client()
    resp = client.post("/auth/forgot", data={"email": "staffer@example.org"}, buffered=False)
    assert resp.status_code == 302 and smtp_server.messages == []  # answered before sending
    resp.close()  # what the server does once the response is sent
    msg = _all(kind=OutboxKind.PASSWORD_RESET)[0]
    db.session.refresh(msg)
    assert msg.status == OutboxStatus.SENT and len(smtp_server.messages) == 1
