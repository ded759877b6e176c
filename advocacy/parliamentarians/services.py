"""Parliamentarian register logic."""
import datetime as dt

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import contains_eager

from advocacy.extensions import db
from advocacy.pairings.models import OPEN_STATUSES, Pairing
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.text import query_terms


def search_select(query=None, *, country=None, parliament=None, chamber=None, group=None,
                  mandate_ended=None, without_pairing=False, archived=False, today: dt.date):
    stmt = select(Parliamentarian).where(Parliamentarian.is_archived.is_(archived))
    for term in query_terms(query):
        stmt = stmt.where(Parliamentarian.search_text.contains(term, autoescape=True))
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
        stmt = stmt.where((Parliamentarian.mandate_end_on.is_(None)) | (Parliamentarian.mandate_end_on >= today))
    if without_pairing:
        stmt = stmt.where(~exists().where(and_(Pairing.parliamentarian_id == Parliamentarian.id,
                                               Pairing.status.in_(OPEN_STATUSES))))
    return stmt


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
