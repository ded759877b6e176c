"""plan(now): turn the pairings' dates into Reminder rows and outbox messages, idempotently.

Safe to run twice, or in two processes at once: every row has a unique idempotency key and is
inserted with ``INSERT … ON CONFLICT DO NOTHING``. What no longer holds (ended pairing, freed
prisoner, moved or deleted date, opted-out recipient) is cancelled while still unsent.
"""
import datetime as dt

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.mail import new_message_id
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import IN_CUSTODY, KeyDate, Prisoner
from advocacy.reminders import rules as R
from advocacy.sql import insert_ignore
from advocacy.reminders.models import (
    OutboxMessage, OutboxStatus, Reminder, ReminderPreference, ReminderRule, ReminderStatus, RuleKind,
)

KEY_DATE_KINDS = (RuleKind.HEARING, RuleKind.HEARING_FOLLOWUP, RuleKind.VERDICT)


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

    count = lambda: db.session.scalar(select(func.count(Reminder.id)))  # noqa: E731
    before = count()
    if outbox_rows:
        db.session.execute(insert_ignore(OutboxMessage), list(outbox_rows.values()))
    if reminder_rows:
        for r in reminder_rows:
            r["outbox_key"] = r.pop("_outbox_key")
            r.setdefault("status_reason", None)
            if r["outbox_key"] is not None:
                r["status"] = ReminderStatus.QUEUED
        db.session.execute(insert_ignore(Reminder), reminder_rows)
    created = count() - before
    cancelled = cancel_invalid(now)
    db.session.flush()
    return {"pairings": len(pairings), "created": created, "cancelled": cancelled}


def _chunks(items, n):
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i:i + n]


def cancel_invalid(now: dt.datetime) -> int:
    """Cancel unsent reminders that no longer hold, and outbox messages left with none.

    Set-based: a few SELECTs find the reminders to cancel (ended pairing, prisoner no longer
    in custody, no address, opted out, date moved or deleted), whatever the number of rows."""
    open_ = Reminder.status.in_((ReminderStatus.PLANNED, ReminderStatus.QUEUED))
    unsent = or_(Reminder.outbox_key.is_(None),
                 Reminder.outbox_key.in_(select(OutboxMessage.idempotency_key).where(
                     OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))))
    base = select(Reminder.id).where(open_, unsent)
    reasons: dict[int, str] = {}

    def mark(stmt, reason):
        for rid in db.session.scalars(stmt):
            reasons.setdefault(rid, reason)

    mark(base.join(Pairing, Pairing.id == Reminder.pairing_id).where(Pairing.status != PairingStatus.ACTIVE),
         "the pairing is no longer active")
    mark(base.join(Prisoner, Prisoner.id == Reminder.prisoner_id).where(Prisoner.status.not_in(IN_CUSTODY)),
         "the prisoner is no longer in custody")
    mark(base.join(Parliamentarian, Parliamentarian.id == Reminder.parliamentarian_id)
         .where(or_(Parliamentarian.email.is_(None), Parliamentarian.email == "")), "the parliamentarian has no email address")
    mark(base.where(Reminder.key_date_id.is_(None), Reminder.kind.in_(KEY_DATE_KINDS)), "the date was deleted")
    mark(base.join(KeyDate, KeyDate.id == Reminder.key_date_id)
         .where(KeyDate.is_yearly.is_(False), KeyDate.occurs_on != Reminder.occurs_on), "the date moved")
    for pref in db.session.scalars(select(ReminderPreference)):
        stmt = base.where(Reminder.parliamentarian_id == pref.parliamentarian_id)
        if pref.is_unsubscribed:
            mark(stmt, "the recipient unsubscribed")
        elif pref.disabled_kinds:
            kinds = [k for k in pref.disabled_kinds.split(",") if k in RuleKind._value2member_map_]
            if kinds:
                mark(stmt.where(Reminder.kind.in_(kinds)), "the recipient turned this kind of reminder off")
    if not reasons:
        return 0
    by_reason: dict[str, list[int]] = {}
    for rid, reason in reasons.items():
        by_reason.setdefault(reason, []).append(rid)
    keys = set()
    for reason, ids in by_reason.items():
        for chunk in _chunks(ids, 1000):
            db.session.execute(update(Reminder).where(Reminder.id.in_(chunk))
                               .values(status=ReminderStatus.CANCELLED, status_reason=reason))
            keys.update(k for k in db.session.scalars(select(Reminder.outbox_key).where(Reminder.id.in_(chunk))) if k)
    for chunk in _chunks(sorted(keys), 1000):
        live = select(Reminder.outbox_key).where(Reminder.outbox_key.in_(chunk), Reminder.status == ReminderStatus.QUEUED)
        db.session.execute(update(OutboxMessage).where(
            OutboxMessage.idempotency_key.in_(chunk), OutboxMessage.idempotency_key.not_in(live),
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED))).values(status=OutboxStatus.CANCELLED))
    db.session.expire_all()
    return len(reasons)
