"""Prisoner register logic: search across spellings, filters, status changes, key dates."""
import datetime as dt

from sqlalchemy import and_, exists, func, select

from advocacy.extensions import db
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.prisoners.models import (
    FREED, KeyDate, Prisoner, PrisonerStatus, PrisonerStatusChange, Visibility,
)
from advocacy.names import services as names


class PrisonerError(ValueError):
    """A refused change; the message is for the user."""


def has_active_godparent():
    """SQL expression: the prisoner has at least one active pairing."""
    return exists().where(and_(Pairing.prisoner_id == Prisoner.id, Pairing.status == PairingStatus.ACTIVE))


def active_godparent_count():
    return (
        select(func.count(Pairing.id))
        .where(Pairing.prisoner_id == Prisoner.id, Pairing.status == PairingStatus.ACTIVE)
        .correlate(Prisoner)
        .scalar_subquery()
    )


def search_select(query: str | None = None, *, status: str | None = None, humanitarian: bool | None = None,
                  visibility: str | None = None, facility_id: int | None = None, uncovered: bool = False,
                  archived: bool = False):
    """A select of prisoners matching ``query`` in any spelling, typed or derived (Latin or
    Cyrillic, Belarusian or Russian forms, with or without diacritics; see advocacy.names),
    and the filters. With a query it is ordered best match first (exact matches before
    approximate ones)."""
    stmt = names.apply(select(Prisoner), query, Prisoner, "prisoner")
    if status == "in_custody":
        stmt = stmt.where(Prisoner.status.in_((PrisonerStatus.PRE_TRIAL, PrisonerStatus.SENTENCED)))
    elif status:
        stmt = stmt.where(Prisoner.status == PrisonerStatus(status))
    if humanitarian is not None:
        stmt = stmt.where(Prisoner.is_humanitarian.is_(humanitarian))
    if visibility:
        stmt = stmt.where(Prisoner.visibility == Visibility(visibility))
    if facility_id:
        stmt = stmt.where(Prisoner.facility_id == facility_id)
    if uncovered:
        stmt = stmt.where(~has_active_godparent())
    stmt = stmt.where(Prisoner.is_archived.is_(archived))
    return stmt


def search(query: str, limit: int = 20) -> list[Prisoner]:
    """Non-archived prisoners matching ``query``, best match first."""
    return db.session.scalars(search_select(query).order_by(Prisoner.name, Prisoner.id).limit(limit)).all()


def change_status(prisoner: Prisoner, status: PrisonerStatus, *, on: dt.date, note: str | None = None,
                  by=None) -> list[Pairing]:
    """Record a status change in the history. When the prisoner is freed or died, their open
    pairings end with that reason; the ended pairings are returned (so callers can thank the
    godparents). Flushes, does not commit."""
    if on > dt.date.today() + dt.timedelta(days=1):
        raise PrisonerError("A status change cannot be dated in the future.")
    prisoner.status = status
    prisoner.status_on = on
    db.session.add(PrisonerStatusChange(prisoner=prisoner, status=status, changed_on=on, note=note,
                                        created_by_id=getattr(by, "id", None)))
    ended = []
    if status in FREED or status == PrisonerStatus.DECEASED:
        from advocacy.pairings.services import end_pairing

        reason = {PrisonerStatus.DEPORTED: EndReason.PRISONER_DEPORTED,
                  PrisonerStatus.DECEASED: EndReason.PRISONER_DIED}.get(status, EndReason.PRISONER_RELEASED)
        for pairing in db.session.scalars(
            select(Pairing).where(Pairing.prisoner_id == prisoner.id,
                                  Pairing.status.in_((PairingStatus.ACTIVE, PairingStatus.INVITED)))
        ):
            end_pairing(pairing, reason=reason, on=max(on, pairing.started_on or on))
            ended.append(pairing)
    db.session.flush()
    return ended


def upcoming_key_dates(prisoner_ids, *, today: dt.date, days: int = 90):
    if not prisoner_ids:
        return []
    return db.session.scalars(
        select(KeyDate).where(KeyDate.prisoner_id.in_(prisoner_ids), KeyDate.occurs_on >= today,
                              KeyDate.occurs_on <= today + dt.timedelta(days=days))
        .order_by(KeyDate.occurs_on)
    ).all()


def next_anniversary(day: dt.date | None, today: dt.date) -> dt.date | None:
    """The next yearly occurrence of ``day`` on or after ``today`` (Feb 29 → Feb 28)."""
    if day is None:
        return None
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    return None
