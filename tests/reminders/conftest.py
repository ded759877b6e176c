import datetime as dt

import pytest

from advocacy.extensions import db
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import OutboxMessage, Reminder
from advocacy.reminders.planner import plan


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


@pytest.fixture()
def run(app):
    """Plan then deliver at ``now``, committing like the scheduler does."""
    def go(now, deliver_too=True):
        stats = plan(now)
        db.session.commit()
        if deliver_too:
            stats.update(deliver(now))
        return stats
    return go


def reminders(**filters):
    stmt = db.select(Reminder).order_by(Reminder.due_at, Reminder.id)
    for k, v in filters.items():
        stmt = stmt.where(getattr(Reminder, k) == v)
    return db.session.scalars(stmt).all()


def outbox(**filters):
    stmt = db.select(OutboxMessage).order_by(OutboxMessage.id)
    for k, v in filters.items():
        stmt = stmt.where(getattr(OutboxMessage, k) == v)
    return db.session.scalars(stmt).all()


@pytest.fixture()
def godparent_pairing(create_parliamentarian, create_prisoner, create_pairing):
    """An active pairing created long ago, with only the dates a test adds."""
    def make(tz="Europe/Berlin", **prisoner_kw):
        prisoner_kw.setdefault("birth_date", None)
        prisoner_kw.setdefault("birth_year", 1980)
        prisoner_kw.setdefault("detained_on", None)
        prisoner = create_prisoner(**prisoner_kw)
        mep = create_parliamentarian(time_zone=tz)
        pairing = create_pairing(parliamentarian=mep, prisoner=prisoner, started_on=None,
                                 created_at=utc(2020, 1, 1))
        return pairing
    return make
