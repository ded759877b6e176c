"""Benchmarks: plan a year of reminders for 13,000 prisoners / 10,000 pairings (a full plan, a
re-plan with nothing new, the next day, one change), then deliver 5,000 messages to a local SMTP
server, batch sender vs one connection per message.

Run: make perf   (or: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/pytest -s -m perf tests/perf/test_reminders_perf.py)
Figures print as rows ``benchmark | figure | unit | goal``.
"""
import datetime as dt
import os
import random
import time

import pytest

from tests.perf.report import row
from sqlalchemy import insert, update

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import KeyDate, Prisoner, PrisonerStatus, Visibility
from advocacy.reminders import delivery
from advocacy.reminders.models import OutboxMessage, Reminder, ReminderPreference, ReminderStatus
from advocacy.reminders.planner import plan

pytestmark = pytest.mark.perf
PRISONERS, PAIRINGS, MESSAGES = 13_000, 10_000, 5_000
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _fill():
    rng = random.Random(1)
    db.session.execute(insert(Parliamentarian), [
        dict(full_name=f"Godparent {i}", search_text=f"godparent {i}", country="DE", email=f"g{i}@example.org",
             time_zone=rng.choice(["Europe/Berlin", "Europe/Helsinki", "Europe/Lisbon", "Europe/Vilnius"]),
             parliament="European Parliament", chamber="single", languages="", committees="") for i in range(7_200)])
    db.session.execute(insert(Prisoner), [
        dict(name=f"Prisoner {i}", search_text=f"prisoner {i}", alt_names="", languages="", ties_countries="",
             birth_date=dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28), detained_on=dt.date(2020 + i % 5, 1 + i % 12, 1 + i % 28),
             status=PrisonerStatus.SENTENCED, visibility=Visibility.PRIVATE) for i in range(PRISONERS)])
    db.session.commit()
    parls = db.session.scalars(db.select(Parliamentarian.id)).all()
    prisoners = db.session.scalars(db.select(Prisoner.id)).all()
    db.session.execute(insert(KeyDate), [dict(prisoner_id=p, kind="trial", occurs_on=NOW.date() + dt.timedelta(days=rng.randint(5, 360)),
                                              is_yearly=False) for p in prisoners[:3000]])
    db.session.execute(insert(Pairing), [dict(parliamentarian_id=parls[i % len(parls)], prisoner_id=prisoners[i],
                                              status=PairingStatus.ACTIVE, started_on=dt.date(2024, 1 + i % 12, 1 + i % 28),
                                              created_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)) for i in range(PAIRINGS)])
    db.session.commit()


def _row(benchmark, figure, unit, goal="-"):
    row(f"reminders: {benchmark}", float(figure), unit, goal)


def _timed(fn):
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def _plan(now):
    stats = plan(now)
    db.session.commit()
    return stats


def test_planner_benchmark(app):
    """The planner's figures, 365-day look-ahead: goals < 5 s for the full year, < 1 s for a
    re-plan with nothing new (the scheduler's run every 10 minutes)."""
    app.config["REMINDER_LOOKAHEAD_DAYS"] = 365
    _fill()
    full, t_full = _timed(lambda: _plan(NOW))
    again, t_again = _timed(lambda: _plan(NOW + dt.timedelta(minutes=10)))
    nextday, t_next = _timed(lambda: _plan(NOW + dt.timedelta(days=1)))
    trial = db.session.scalar(db.select(KeyDate).order_by(KeyDate.id).limit(1))
    trial.occurs_on += dt.timedelta(days=3)
    parl = db.session.scalar(db.select(Pairing.parliamentarian_id).order_by(Pairing.id).limit(1))
    db.session.add(ReminderPreference(parliamentarian_id=parl, is_digest=True, disabled_kinds=""))
    db.session.commit()
    change, t_change = _timed(lambda: _plan(NOW + dt.timedelta(days=1, minutes=10)))
    queued = db.session.scalar(db.select(db.func.count(Reminder.id)).where(Reminder.status == ReminderStatus.QUEUED))
    assert full["replanned"] == PAIRINGS and full["created"] > PAIRINGS
    assert again["replanned"] == again["extended"] == again["created"] == 0
    assert nextday["replanned"] == 0 and nextday["extended"] == PAIRINGS and nextday["created"] > 0
    assert change["replanned"] >= 2 and change["cancelled"] >= 1 and change["moved"] >= 1
    print(f"\n--- reminder planner on {db.engine.dialect.name}: {PRISONERS:,} prisoners, {PAIRINGS:,} pairings, "
          f"365-day look-ahead, {queued:,} reminders queued ---")
    _row(f"plan a full year ({full['created']:,} reminders)", t_full, "s", "< 5")
    _row("re-plan with nothing new", t_again, "s", "< 1")
    _row(f"re-plan the next day ({nextday['created']:,} new reminders)", t_next, "s")
    _row(f"re-plan after a trial moved and a digest switched on ({change['replanned']} pairings)", t_change, "s")
    # Timings scale with what else runs on the machine: say how busy it was.
    _row(f"load average (1 min) at the end, {os.cpu_count()} CPUs", os.getloadavg()[0], "runnable processes")


def test_reminder_engine_benchmark(app, smtp_server):
    app.config["REMINDER_LOOKAHEAD_DAYS"] = 365
    t0 = time.perf_counter()
    _fill()
    t1 = time.perf_counter()
    stats = plan(NOW)
    db.session.commit()
    t2 = time.perf_counter()
    again = plan(NOW)
    db.session.commit()
    t3 = time.perf_counter()
    total = db.session.scalar(db.select(db.func.count(OutboxMessage.id)))
    # Make the first 2 x 5,000 messages due now: half for each sender.
    ids = db.session.scalars(db.select(OutboxMessage.id).order_by(OutboxMessage.id).limit(2 * MESSAGES)).all()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(next_attempt_at=NOW, due_at=NOW))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.not_in(ids)).values(next_attempt_at=NOW + dt.timedelta(days=999)))
    db.session.commit()
    t4 = time.perf_counter()
    sent = 0
    while sent < MESSAGES:
        sent += delivery.deliver(NOW, batch_size=min(500, MESSAGES - sent))["sent"]
    t5 = time.perf_counter()
    naive = 0
    while naive < MESSAGES:
        naive += delivery.deliver(NOW, batch_size=min(500, MESSAGES - naive), per_message_connection=True)["sent"]
    t6 = time.perf_counter()
    assert stats["created"] > PAIRINGS and again["created"] == 0 and sent == MESSAGES == naive
    assert len(smtp_server.messages) == 2 * MESSAGES
    print(f"\n--- reminder engine on {db.engine.dialect.name}: {PRISONERS:,} prisoners, {PAIRINGS:,} pairings ---")
    _row("engine: fill the database", t1 - t0, "s")
    _row(f"engine: plan one year ({stats['created']:,} reminders, {total:,} outbox messages)", t2 - t1, "s")
    _row(f"engine: plan again (idempotent, {again['created']} new)", t3 - t2, "s")
    _row(f"engine: deliver {MESSAGES:,}, batch sender (one connection per batch of 500)", MESSAGES / (t5 - t4), "messages/s")
    _row(f"engine: deliver {MESSAGES:,}, a new SMTP connection per message", MESSAGES / (t6 - t5), "messages/s")
