"""Several planners and senders against one PostgreSQL: every reminder goes out exactly once."""
import collections
import datetime as dt
import os
import random
import threading

import pytest
from sqlalchemy import insert

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner, PrisonerStatus, Visibility
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import OutboxMessage, OutboxStatus
from advocacy.reminders.planner import plan
from tests.reminders.conftest import utc

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (SKIP LOCKED and real concurrent transactions); runs in the PostgreSQL pass of make test")

N = 1000
DAY = dt.date(2026, 12, 1)


def _fill():
    db.session.execute(insert(Parliamentarian), [
        dict(full_name=f"Godparent {i}", search_text=f"godparent {i}", country="DE", email=f"g{i}@example.org",
             time_zone="Europe/Berlin", parliament="European Parliament", chamber="single", languages="", committees="")
        for i in range(N)])
    db.session.execute(insert(Prisoner), [
        dict(name=f"Prisoner {i}", search_text=f"prisoner {i}", alt_names="", languages="", ties_countries="",
             detained_on=dt.date(2021, 12, 1), status=PrisonerStatus.SENTENCED, visibility=Visibility.PRIVATE)
        for i in range(N)])
    db.session.commit()
    parls = db.session.scalars(db.select(Parliamentarian.id).order_by(Parliamentarian.id)).all()
    prisoners = db.session.scalars(db.select(Prisoner.id).order_by(Prisoner.id)).all()
    db.session.execute(insert(Pairing), [
        dict(parliamentarian_id=a, prisoner_id=b, status=PairingStatus.ACTIVE, created_at=utc(2020, 1, 1))
        for a, b in zip(parls, prisoners)])
    db.session.commit()


def _in_threads(app, target, n):
    errors = []

    def wrapped(i):
        try:
            with app.app_context():
                target(i)
                db.session.remove()
        except Exception as exc:  # reported below: a thread must not fail silently
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors


def _run(app, smtp_server):
    now = utc(2026, 12, 1, 7, 30)

    def planner(i):
        plan(now - dt.timedelta(hours=12))
        db.session.commit()

    _in_threads(app, planner, 4)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == N

    def sender(i):
        for step in range(60):  # advance time so retries (with backoff) become due
            moment = now + dt.timedelta(hours=step)
            while deliver(moment, batch_size=25)["claimed"]:
                pass
            pending = db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
                OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))))
            if not pending:
                return

    _in_threads(app, sender, 4)
    ids = collections.Counter(m["message"]["Message-ID"] for m in smtp_server.messages)
    assert len(ids) == N, f"{len(ids)} distinct messages arrived"
    assert max(ids.values()) == 1, [k for k, v in ids.items() if v > 1][:5]
    db.session.expire_all()
    statuses = collections.Counter(db.session.scalars(db.select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT: N}


def test_four_planners_and_four_senders_deliver_each_reminder_exactly_once(app, smtp_server):
    _fill()
    _run(app, smtp_server)


def test_exactly_once_with_an_smtp_server_failing_a_fifth_of_sends(app, smtp_server):
    app.config["MAIL_MAX_ATTEMPTS"] = 50
    smtp_server.fail_rate, smtp_server.rng = 0.2, random.Random(7)
    _fill()
    _run(app, smtp_server)
