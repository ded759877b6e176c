"""Parliamentarian register logic."""
import datetime as dt

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import contains_eager

from advocacy.extensions import db
from advocacy.pairings.models import OPEN_STATUSES, Pairing
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.names import services as names


def search_select(query=None, *, country=None, parliament=None, chamber=None, group=None,
                  mandate_ended=None, without_pairing=False, archived=False, today: dt.date):
    """A select of parliamentarians matching ``query`` in any spelling (see advocacy.names),
    best match first, and the filters."""
    stmt = names.apply(select(Parliamentarian), query, Parliamentarian, "parliamentarian")
    stmt = stmt.where(Parliamentarian.is_archived.is_(archived))
    if country:
        stmt = stmt.where(Parliamentarian.country == country.upper())
    if parliament:
        stmt = stmt.where(Parliamentarian.parliament == parliament)
    if chamber:
        stmt = stmt.where(Parliamentarian.chamber == chamber)
    if group:
        stmt = stmt.where(Parliamentarian.political_group == group)
    if mandate_ended is True:
        stmt = stmt.where(Parliamentarian.mandate_end_on < today)
    elif mandate_ended is False:
        stmt = stmt.where(Parliamentarian.current_mandate_clause(today))
    if without_pairing:
        stmt = stmt.where(~exists().where(and_(Pairing.parliamentarian_id == Parliamentarian.id,
                                               Pairing.status.in_(OPEN_STATUSES))))
    return stmt


def search(query: str, *, today: dt.date, limit: int = 20) -> list[Parliamentarian]:
    """Current parliamentarians matching ``query``, best match first."""
    return db.session.scalars(search_select(query, today=today).order_by(Parliamentarian.full_name,
                                                                          Parliamentarian.id).limit(limit)).all()


def pairings_needing_successor(today: dt.date):
    """Open pairings whose godparent's mandate has ended: the prisoner needs a new godparent."""
    return db.session.scalars(
        select(Pairing).join(Pairing.parliamentarian)
        .where(Pairing.status.in_(OPEN_STATUSES), Parliamentarian.mandate_end_on < today)
        .options(contains_eager(Pairing.parliamentarian), db.joinedload(Pairing.prisoner))
        .order_by(Parliamentarian.mandate_end_on, Pairing.id)
    ).all()


def distinct_values(column):
    return [v for v in db.session.scalars(select(column).distinct().order_by(column)) if v]


def filter_choices(today: dt.date | None = None) -> dict:
    """The list filters' choices: ``countries``, ``parliaments`` and ``groups`` in use, three
    DISTINCTs over every parliamentarian, computed once per staff-data version
    (``advocacy.staff_version``: any change to a parliamentarian moves it)."""
    from advocacy.staff_version import cached

    return cached("parliamentarians.filter_choices", lambda: {
        "countries": distinct_values(Parliamentarian.country), "parliaments": distinct_values(Parliamentarian.parliament),
        "groups": distinct_values(Parliamentarian.political_group)}, today=today or dt.date.today())
