"""Statements: recording, verifying, and who has been active."""
import datetime as dt

from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.statements.models import Statement


def verify(statement: Statement, *, by, now: dt.datetime) -> None:
    statement.verified_at = now
    statement.verified_by_id = by.id
    db.session.flush()


def unverify(statement: Statement) -> None:
    statement.verified_at = None
    statement.verified_by_id = None
    db.session.flush()


def silent_godparents(today: dt.date, days: int = 90, limit: int | None = None):
    """Parliamentarians with an active pairing and no statement in the last ``days`` days."""
    since = today - dt.timedelta(days=days)
    recent = (select(Pairing.parliamentarian_id)
              .join(Statement, Statement.pairing_id == Pairing.id)
              .where(Statement.made_on >= since))
    return db.session.scalars(
        select(Parliamentarian).join(Pairing, Pairing.parliamentarian_id == Parliamentarian.id)
        .where(Pairing.status == PairingStatus.ACTIVE, Parliamentarian.id.not_in(recent))
        .distinct().order_by(Parliamentarian.full_name).limit(limit)
    ).all()


def count_since(day: dt.date) -> int:
    return db.session.scalar(select(func.count(Statement.id)).where(Statement.made_on >= day)) or 0
