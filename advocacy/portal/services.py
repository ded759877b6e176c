"""What a parliamentarian sees: their own pairings only. Every lookup is scoped to the
parliamentarian, so another godparent's prisoner or statement is simply not found (404)."""
import datetime as dt

from flask_babel import gettext as _, ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.prisoners.models import Prisoner
from advocacy.prisoners.services import next_anniversary
from advocacy.statements.models import Statement


def my_pairings(parliamentarian_id: int, statuses=(PairingStatus.ACTIVE,)):
    return db.session.scalars(
        select(Pairing).where(Pairing.parliamentarian_id == parliamentarian_id, Pairing.status.in_(statuses))
        .options(joinedload(Pairing.prisoner).selectinload(Prisoner.key_dates))
        .order_by(Pairing.started_on.desc().nulls_last(), Pairing.id)
    ).all()


def my_pairing_for_prisoner(parliamentarian_id: int, prisoner_id: int) -> Pairing | None:
    return db.session.scalar(
        select(Pairing).where(Pairing.parliamentarian_id == parliamentarian_id, Pairing.prisoner_id == prisoner_id,
                              Pairing.status == PairingStatus.ACTIVE)
        .options(joinedload(Pairing.prisoner).selectinload(Prisoner.key_dates))
    )


def dates_ahead(prisoner: Prisoner, today: dt.date, days: int = 90):
    """Key dates in the next ``days`` days, plus the derived birthday and arrest anniversary."""
    horizon = today + dt.timedelta(days=days)
    items = [(kd.occurs_on, kd.title, kd.place) for kd in prisoner.key_dates if today <= kd.occurs_on <= horizon]
    bday = next_anniversary(prisoner.birth_date, today)
    if bday and bday <= horizon:
        items.append((bday, _("Birthday"), None))
    arrest = next_anniversary(prisoner.detained_on, today)
    if arrest and arrest <= horizon and arrest != prisoner.detained_on:
        years = arrest.year - prisoner.detained_on.year
        items.append((arrest, ngettext("%(num)s year since the arrest", "%(num)s years since the arrest", years), None))
    return sorted(items, key=lambda x: x[0])


def statements_for_prisoner(prisoner_id: int):
    """All statements for this prisoner, by every godparent (public or not: godparents see them)."""
    return db.session.scalars(
        select(Statement).join(Statement.pairing).where(Pairing.prisoner_id == prisoner_id)
        .options(joinedload(Statement.pairing).joinedload(Pairing.parliamentarian))
        .order_by(Statement.made_on.desc(), Statement.id.desc())
    ).all()


def statements_by(parliamentarian_id: int, limit: int = 50):
    return db.session.scalars(
        select(Statement).join(Statement.pairing).where(Pairing.parliamentarian_id == parliamentarian_id)
        .options(joinedload(Statement.pairing).joinedload(Pairing.prisoner))
        .order_by(Statement.made_on.desc(), Statement.id.desc()).limit(limit)
    ).all()


def my_statement(parliamentarian_id: int, statement_id: int) -> Statement | None:
    return db.session.scalar(
        select(Statement).join(Statement.pairing)
        .where(Statement.id == statement_id, Pairing.parliamentarian_id == parliamentarian_id)
    )


def cyrillic_name(prisoner: Prisoner) -> str | None:
    for spelling in prisoner.spellings:
        if any("\u0400" <= ch <= "\u04ff" for ch in spelling):
            return spelling
    return None
