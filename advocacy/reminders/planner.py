"""plan(now): turn the pairings' dates into Reminder rows and outbox messages, idempotently.

Safe to run twice, or in two processes at once: every row has a unique idempotency key and is
inserted with ``INSERT … ON CONFLICT DO NOTHING``. What no longer holds (ended pairing, freed
prisoner, moved or deleted date, opted-out recipient) is cancelled while still unsent.
"""
import datetime as dt

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from advocacy.extensions import db
from advocacy.mail import new_message_id
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner
from advocacy.reminders import rules as R
from advocacy.sql import insert_ignore
from advocacy.reminders.models import (
    OutboxMessage, OutboxStatus, Reminder, ReminderPreference, ReminderRule, ReminderStatus,
)


def _preferences() -> dict[int, ReminderPreference]:
    return {p.parliamentarian_id: p for p in db.session.scalars(select(ReminderPreference))}


def skip_reason(pairing: Pairing, pref: ReminderPreference | None, kind) -> str | None:
    """Why a reminder for this pairing must not go out (None: it may)."""
    if pairing.status != PairingStatus.ACTIVE:
        return "the pairing is no longer active"
    if not pairing.prisoner.is_in_custody:
        return f"the prisoner is {pairing.prisoner.status.label.lower()}"
    if not pairing.parliamentarian.email:
        return "the parliamentarian has no email address"
    if pref is not None and pref.is_unsubscribed:
        return "the recipient unsubscribed"
    if pref is not None and not pref.wants(kind):
        return f"the recipient does not want {kind.label.lower()} reminders"
    return None


def plan(now: dt.datetime) -> dict:
    """Plan reminders due from ``now - grace`` to ``now + lookahead``. Commits nothing: the
    caller commits (one transaction)."""
    cfg = current_app.config
    R.ensure_default_rules()
    rules = db.session.scalars(select(ReminderRule).where(ReminderRule.is_active.is_(True))).all()
    hour, grace = cfg["REMINDER_LOCAL_HOUR"], dt.timedelta(hours=cfg["REMINDER_GRACE_HOURS"])
    # Look back past the grace period too, so misses older than it are recorded as skipped.
    start = (now - grace).date() - dt.timedelta(days=cfg.get("REMINDER_LOOKBACK_DAYS", 7))
    end = now.date() + dt.timedelta(days=cfg["REMINDER_LOOKAHEAD_DAYS"])
    prefs = _preferences()

    pairings = db.session.scalars(
        select(Pairing).where(Pairing.status == PairingStatus.ACTIVE)
        .options(joinedload(Pairing.parliamentarian), joinedload(Pairing.prisoner).selectinload(Prisoner.key_dates))
    ).unique().all()

    reminder_rows, outbox_rows = [], {}
    for pairing in pairings:
        pref = prefs.get(pairing.parliamentarian_id)
        parl = pairing.parliamentarian
        for occ in R.occurrences(pairing, rules, start=start, end=end, feb29=cfg["FEB29_POLICY"]):
            if skip_reason(pairing, pref, occ.rule.kind):
                continue
            due = R.local_instant(occ.send_on, hour, parl.time_zone)
            if pairing.created_at and due < pairing.created_at:
                continue  # before the adoption: not this godparent's reminder
            key = R.idempotency_key(parl.id, pairing.id, occ)
            if due < now - grace:
                reminder_rows.append(dict(
                    idempotency_key=key, rule_id=occ.rule.id, kind=occ.rule.kind, pairing_id=pairing.id,
                    parliamentarian_id=parl.id, prisoner_id=pairing.prisoner_id, key_date_id=occ.key_date_id,
                    occurs_on=occ.occurs_on, send_on=occ.send_on, due_at=due, milestone_days=occ.milestone_days,
                    status=ReminderStatus.SKIPPED, created_at=now, _outbox_key=None,
                    status_reason="missed by more than the grace period (the scheduler was down)"))
                continue
            if pref is not None and pref.is_digest:
                okey = f"d:{parl.id}:{occ.send_on.isoformat()}"
            else:
                okey = "o:" + key
            reminder_rows.append(dict(
                idempotency_key=key, rule_id=occ.rule.id, kind=occ.rule.kind, pairing_id=pairing.id,
                parliamentarian_id=parl.id, prisoner_id=pairing.prisoner_id, key_date_id=occ.key_date_id,
                occurs_on=occ.occurs_on, send_on=occ.send_on, due_at=due, milestone_days=occ.milestone_days,
                status=ReminderStatus.PLANNED, created_at=now, _outbox_key=okey))
            outbox_rows.setdefault(okey, dict(
                idempotency_key=okey, parliamentarian_id=parl.id, recipient=parl.email, is_digest=okey.startswith("d:"),
                status=OutboxStatus.PENDING, due_at=due, next_attempt_at=due, attempts=0,
                message_id=new_message_id(), created_at=now))

    created = 0
    if outbox_rows:
        db.session.execute(insert_ignore(OutboxMessage), list(outbox_rows.values()))
    if reminder_rows:
        keys = [r["idempotency_key"] for r in reminder_rows]
        existing = set()
        for chunk in _chunks(keys, 500):
            existing.update(db.session.scalars(select(Reminder.idempotency_key).where(Reminder.idempotency_key.in_(chunk))))
        okeys = {r["_outbox_key"] for r in reminder_rows if r["_outbox_key"]}
        outbox_ids = {}
        for chunk in _chunks(sorted(okeys), 500):
            outbox_ids.update(db.session.execute(
                select(OutboxMessage.idempotency_key, OutboxMessage.id).where(OutboxMessage.idempotency_key.in_(chunk))).all())
        new_rows = []
        for r in reminder_rows:
            okey = r.pop("_outbox_key")
            if r["idempotency_key"] in existing:
                continue
            r.setdefault("status_reason", None)
            if okey is not None:
                r["outbox_message_id"] = outbox_ids.get(okey)
                r["status"] = ReminderStatus.QUEUED
            else:
                r["outbox_message_id"] = None
            new_rows.append(r)
        if new_rows:
            db.session.execute(insert_ignore(Reminder), new_rows)
        created = len(new_rows)
    cancelled = cancel_invalid(now)
    db.session.flush()
    return {"pairings": len(pairings), "created": created, "cancelled": cancelled}


def _chunks(items, n):
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i:i + n]


def cancel_invalid(now: dt.datetime) -> int:
    """Cancel unsent reminders that no longer hold, and outbox messages left with none."""
    prefs = _preferences()
    open_reminders = db.session.scalars(
        select(Reminder).where(Reminder.status.in_((ReminderStatus.PLANNED, ReminderStatus.QUEUED)))
        .options(joinedload(Reminder.pairing).joinedload(Pairing.prisoner), joinedload(Reminder.pairing)
                 .joinedload(Pairing.parliamentarian), joinedload(Reminder.key_date),
                 joinedload(Reminder.outbox_message))
    ).unique().all()
    cancelled = 0
    touched_messages = set()
    for rem in open_reminders:
        if rem.outbox_message is not None and rem.outbox_message.status not in (OutboxStatus.PENDING, OutboxStatus.FAILED):
            continue
        reason = skip_reason(rem.pairing, prefs.get(rem.parliamentarian_id), rem.kind)
        if reason is None and rem.key_date_id is None and rem.idempotency_key.split(":")[3].startswith("kd"):
            reason = "the date was deleted"
        if reason is None and rem.key_date is not None and not rem.key_date.is_yearly \
                and rem.key_date.occurs_on != rem.occurs_on:
            reason = f"the date moved to {rem.key_date.occurs_on.isoformat()}"
        if reason:
            rem.status = ReminderStatus.CANCELLED
            rem.status_reason = reason
            cancelled += 1
            if rem.outbox_message_id:
                touched_messages.add(rem.outbox_message_id)
    if touched_messages:
        db.session.flush()
        still_live = set(db.session.scalars(
            select(Reminder.outbox_message_id).where(Reminder.outbox_message_id.in_(touched_messages),
                                                     Reminder.status == ReminderStatus.QUEUED)))
        dead = touched_messages - still_live
        if dead:
            db.session.execute(update(OutboxMessage).where(
                OutboxMessage.id.in_(dead), OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
                .values(status=OutboxStatus.CANCELLED))
    return cancelled
