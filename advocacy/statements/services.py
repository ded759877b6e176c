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
    # EXISTS / NOT EXISTS per parliamentarian in name order: with a limit, the database walks the
    # name index and stops after ``limit`` matches instead of building the whole set.
    active = select(Pairing.id).where(Pairing.parliamentarian_id == Parliamentarian.id,
                                      Pairing.status == PairingStatus.ACTIVE).exists()
    recent = (select(Statement.id).join(Pairing, Statement.pairing_id == Pairing.id)
              .where(Pairing.parliamentarian_id == Parliamentarian.id, Statement.made_on >= since).exists())
    return db.session.scalars(
        select(Parliamentarian).where(active, ~recent)
        .order_by(Parliamentarian.full_name, Parliamentarian.id).limit(limit)
    ).all()


def count_since(day: dt.date) -> int:
    return db.session.scalar(select(func.count(Statement.id)).where(Statement.made_on >= day)) or 0
