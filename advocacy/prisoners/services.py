"""Prisoner register logic: search across spellings, filters, status changes, key dates."""
import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import joinedload

from advocacy import events
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


#: what a new status does to the prisoner's open pairings: the end reason, or None (they go on)
STATUS_ENDS_PAIRINGS = {
    PrisonerStatus.RELEASED: EndReason.PRISONER_RELEASED,
    PrisonerStatus.PARDONED: EndReason.PRISONER_RELEASED,
    PrisonerStatus.DEPORTED: EndReason.PRISONER_DEPORTED,
    PrisonerStatus.DECEASED: EndReason.PRISONER_DIED,
}


def record_first_status(prisoner: Prisoner, *, on: dt.date, note: str | None = None, by=None) -> None:
    """Start the status history of a prisoner just added to the register. Flushes."""
    db.session.add(PrisonerStatusChange(prisoner=prisoner, status=prisoner.status, changed_on=on, note=note,
                                        created_by_id=getattr(by, "id", None)))
    db.session.flush()


def change_status(prisoner: Prisoner, status: PrisonerStatus, *, on: dt.date, note: str | None = None,
                  by=None, now: dt.datetime | None = None) -> list[Pairing]:
    """The one way to change a prisoner's status (staff form, API, imports).

    Records the change in the history. A release, pardon or deportation ends the open pairings
    as "released" or "deported", a death as "died"; moves between pre-trial and sentenced keep
    them. Each ended pairing is announced (``events.pairing_ended``), so the engines cancel its
    unsent reminders and queue the right mail (thanks, or condolence after a death). Returns the
    ended pairings. A status equal to the current one only updates the date. Flushes."""
    if on > dt.date.today() + dt.timedelta(days=1):
        raise PrisonerError(_("A status change cannot be dated in the future."))
    old = prisoner.status
    if status == old:
        prisoner.status_on = on
        db.session.flush()
        return []
    prisoner.status = status
    prisoner.status_on = on
    db.session.add(PrisonerStatusChange(prisoner=prisoner, status=status, changed_on=on, note=note,
                                        created_by_id=getattr(by, "id", None)))
    ended = []
    reason = STATUS_ENDS_PAIRINGS.get(status)
    if reason is not None:
        from advocacy.pairings.services import end_pairing

        for pairing in db.session.scalars(
            select(Pairing).where(Pairing.prisoner_id == prisoner.id,
                                  Pairing.status.in_((PairingStatus.ACTIVE, PairingStatus.INVITED)))
        ):
            end_pairing(pairing, reason=reason, on=max(on, pairing.started_on or on), now=now)
            ended.append(pairing)
    db.session.flush()
    events.prisoner_status_changed.send(prisoner, old=old, new=status, on=on, ended=ended)
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


def statements_about(prisoner_id: int) -> list:
    """Every statement about this prisoner (all pairings), with its godparent, oldest first."""
    from advocacy.statements.models import Statement

    return db.session.scalars(
        select(Statement).join(Pairing, Pairing.id == Statement.pairing_id).where(Pairing.prisoner_id == prisoner_id)
        .options(joinedload(Statement.pairing).joinedload(Pairing.parliamentarian))
        .order_by(Statement.made_on, Statement.id)).all()
