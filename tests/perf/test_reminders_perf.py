"""Benchmark: plan a year of reminders for 13,000 prisoners / 10,000 pairings (a full plan, a
re-plan with nothing new, the next day, one change). Delivery has its own benchmark, with the
relay in its own process: tests/perf/test_outbox_perf.py.

Run: make perf   (or: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/pytest -s -m perf tests/perf/test_reminders_perf.py)
Figures print as rows ``benchmark | figure | unit | goal``.
"""
import datetime as dt
import os
import random
import time

import pytest

from tests.perf.report import row
from sqlalchemy import insert

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import KeyDate, Prisoner, PrisonerStatus, Visibility
from advocacy.reminders.models import Reminder, ReminderPreference, ReminderStatus
from advocacy.reminders.planner import plan

pytestmark = pytest.mark.perf
PRISONERS, PAIRINGS = 13_000, 10_000
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
