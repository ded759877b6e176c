"""Pairing lifecycle: the one place that opens, activates, declines and ends pairings.

Every function flushes and leaves the commit to its caller (view, CLI, job). They raise
``PairingError`` with a message fit for a user when the change is not allowed; nothing is
changed in that case.
"""
import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from advocacy import events
from advocacy.extensions import db
from advocacy.pairings.models import OPEN_STATUSES, EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner


class PairingError(ValueError):
    """A pairing change that is not allowed; ``str(exc)`` is a message for the user."""


def open_pairing_for(parliamentarian_id: int, prisoner_id: int) -> Pairing | None:
    return db.session.scalar(
        select(Pairing).where(
            Pairing.parliamentarian_id == parliamentarian_id,
            Pairing.prisoner_id == prisoner_id,
            Pairing.status.in_(OPEN_STATUSES),
        )
    )


def create_pairing(parliamentarian: Parliamentarian, prisoner: Prisoner, *, today: dt.date,
                   status: PairingStatus = PairingStatus.ACTIVE, created_by=None,
                   now: dt.datetime | None = None) -> Pairing:
    """Open a pairing (``active`` directly, or ``invited``). Refuses a second open pairing of
    the same pair and a prisoner who is no longer in custody. The database's partial unique
    index backs the check against concurrent requests."""
    if status not in OPEN_STATUSES:
        raise PairingError(_("A new pairing is either invited or active."))
    if not prisoner.is_in_custody:
        raise PairingError(_("%(name)s is not in custody (%(status)s); no new godparent needed.", name=prisoner.name,
                               status=prisoner.status.label))
    if parliamentarian.mandate_ended(today):
        raise PairingError(_("%(name)s's mandate ended on %(date)s.", name=parliamentarian.full_name,
                               date=str(parliamentarian.mandate_end_on)))
    if not parliamentarian.has_current_mandate(today):
        raise PairingError(_("%(name)s's mandate starts on %(date)s.", name=parliamentarian.full_name,
                               date=str(parliamentarian.mandate_start_on)))
    if open_pairing_for(parliamentarian.id, prisoner.id) is not None:
        raise PairingError(_("%(name)s already has an open pairing with %(prisoner)s.", name=parliamentarian.full_name,
                               prisoner=prisoner.name))
    pairing = Pairing(parliamentarian=parliamentarian, prisoner=prisoner, status=status, created_by=created_by)
    if status == PairingStatus.ACTIVE:
        pairing.started_on = today
    else:
        pairing.invited_at = now or dt.datetime.combine(today, dt.time(), dt.timezone.utc)
    db.session.add(pairing)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise PairingError(_("%(name)s already has an open pairing with %(prisoner)s.", name=parliamentarian.full_name,
                               prisoner=prisoner.name)) from exc
    return pairing


def accept_invitation(pairing: Pairing, *, now: dt.datetime) -> Pairing:
    if pairing.status != PairingStatus.INVITED:
        raise PairingError(_("This invitation is no longer open (it is %(status)s).", status=pairing.status.in_sentence))
    pairing.status = PairingStatus.ACTIVE
    pairing.started_on = now.date()
    pairing.responded_at = now
    db.session.flush()
    return pairing


def decline_invitation(pairing: Pairing, *, now: dt.datetime, reason: str | None = None) -> Pairing:
    if pairing.status != PairingStatus.INVITED:
        raise PairingError(_("This invitation is no longer open (it is %(status)s).", status=pairing.status.in_sentence))
    pairing.status = PairingStatus.DECLINED
    pairing.decline_reason = (reason or "").strip()[:500] or None
    pairing.responded_at = now
    pairing.ended_on = now.date()
    db.session.flush()
    return pairing


def end_pairing(pairing: Pairing, *, reason: EndReason, on: dt.date, note: str | None = None,
                now: dt.datetime | None = None) -> Pairing:
    """End an open pairing, and tell the engines (``events.pairing_ended``): the reminder engine
    cancels its unsent reminders, the matching engine queues the mail the reason calls for.
    Flushes."""
    if not pairing.is_open:
        raise PairingError(_("This pairing has already ended."))
    if pairing.started_on and on < pairing.started_on:
        raise PairingError(_("A pairing cannot end before it started."))
    pairing.status = PairingStatus.ENDED
    pairing.end_reason = reason
    pairing.end_note = (note or "").strip()[:500] or None
    pairing.ended_on = on
    db.session.flush()
    events.pairing_ended.send(pairing, reason=reason, now=now)
    return pairing


def ever_paired(parliamentarian_id: int, prisoner_id: int) -> bool:
    return db.session.scalar(
        select(Pairing.id).where(Pairing.parliamentarian_id == parliamentarian_id,
                                 Pairing.prisoner_id == prisoner_id).limit(1)
    ) is not None
