"""Reminder mail in the outbox: what the sender does with a reminder row at send time.

The outbox's sender (``advocacy.outbox.sender``) claims and sends every kind of mail; for
reminder rows (single or digest) it calls this renderer, which

* cancels the reminders that no longer hold (ended pairing, freed prisoner, unsubscribed…)
  and the message when none is left;
* skips a message missed by more than the grace period;
* words the mail for the moment it is actually sent (``build_reminder_email``);
* carries the message's final state to its reminders (sent, failed with the reason).

``deliver`` is kept here for the reminder CLI and tests: it is the outbox's one sender.
"""
import datetime as dt

from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from advocacy.extensions import db
from advocacy.outbox import sender as outbox_sender
from advocacy.outbox.models import OutboxKind, OutboxMessage, OutboxStatus
from advocacy.pairings.models import Pairing
from advocacy.reminders.models import Reminder, ReminderStatus
from advocacy.reminders.notifications import build_reminder_email
from advocacy.reminders.planner import _preferences, skip_reason

deliver = outbox_sender.deliver
backoff = outbox_sender.backoff

_PREFS = "reminder_prefs"


def _prepare(messages: list[OutboxMessage]) -> None:
    ids = [m.id for m in messages]
    db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .options(joinedload(OutboxMessage.parliamentarian),
                 selectinload(OutboxMessage.reminders).joinedload(Reminder.pairing).joinedload(Pairing.prisoner),
                 selectinload(OutboxMessage.reminders).joinedload(Reminder.pairing).joinedload(Pairing.parliamentarian),
                 selectinload(OutboxMessage.reminders).joinedload(Reminder.key_date))
    ).unique().all()
    db.session.info[_PREFS] = _preferences()


def _render(msg: OutboxMessage, now: dt.datetime):
    prefs = db.session.info.get(_PREFS)
    if prefs is None:
        prefs = db.session.info[_PREFS] = _preferences()
    live = [r for r in msg.reminders if r.status == ReminderStatus.QUEUED]
    for r in live:
        reason = skip_reason(r.pairing, prefs.get(r.parliamentarian_id), r.kind)
        if reason:
            r.status, r.status_reason = ReminderStatus.CANCELLED, reason
    live = [r for r in live if r.status == ReminderStatus.QUEUED]
    if not live:
        return outbox_sender.Drop(OutboxStatus.CANCELLED, "none of its reminders still holds")
    grace = dt.timedelta(hours=current_app.config["REMINDER_GRACE_HOURS"])
    if msg.due_at < now - grace:
        return outbox_sender.Drop(OutboxStatus.SKIPPED, "missed by more than the grace period")
    # Late means "held up on our side" (downtime, retries): more than an hour after it was due
    # *and* after it was queued. A reminder added after its day began (a hearing entered late)
    # is not late: it is new, and worded for the moment it goes out.
    msg.is_late = max(msg.due_at, msg.created_at or msg.due_at) < now - dt.timedelta(hours=1)
    return build_reminder_email(msg, live, now=now)


_REMINDER_STATUS = {
    OutboxStatus.SENT: ReminderStatus.SENT,
    OutboxStatus.FAILED: ReminderStatus.FAILED,
    OutboxStatus.SKIPPED: ReminderStatus.SKIPPED,
}


def _finished(msg: OutboxMessage, status: OutboxStatus, reason: str | None) -> None:
    """Carry the message's state to its reminders: a failed message's reminders say failed,
    with the reason; a resent one's are queued again."""
    if status == OutboxStatus.PENDING:
        for r in msg.reminders:
            if r.status in (ReminderStatus.CANCELLED, ReminderStatus.SKIPPED, ReminderStatus.FAILED):
                r.status, r.status_reason = ReminderStatus.QUEUED, reason
        return
    target = _REMINDER_STATUS.get(status)
    if target is None:
        return
    for r in msg.reminders:
        if r.status in (ReminderStatus.QUEUED, ReminderStatus.PLANNED):
            r.status = target
            if reason:
                r.status_reason = reason[:300]


outbox_sender.register(OutboxKind.REMINDER, outbox_sender.Renderer(prepare=_prepare, render=_render,
                                                                   finished=_finished))


def retry(message: OutboxMessage, now: dt.datetime) -> None:
    """Staff resend of a failed, cancelled or skipped message (any kind)."""
    outbox_sender.resend(message, now)
