"""deliver(now): claim due outbox messages, render them, send a batch over one connection.

Claiming: on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` picks rows no other sender holds,
and marks them ``sending`` with a lease (``claimed_until``) before the lock is released, so
several senders never take the same message; a sender that dies leaves a lease that expires
and the message is taken again. On SQLite (one embedded sender) the same conditional update
guards against a second sender.

A message is marked ``sent`` in its own commit right after the server accepted it. A failure
(refused recipient, dropped connection, timeout) retries with exponential backoff; after
``REMINDER_MAX_ATTEMPTS`` the message is ``failed`` and shown to staff, who can retry it.
"""
import datetime as dt
import smtplib
import socket

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from advocacy.extensions import db
from advocacy.mail import connection
from advocacy.pairings.models import Pairing
from advocacy.reminders.models import OutboxMessage, OutboxStatus, Reminder, ReminderStatus
from advocacy.reminders.notifications import build_reminder_email
from advocacy.reminders.planner import _preferences, skip_reason

LEASE = dt.timedelta(minutes=10)
#: errors of the connection itself: the rest of the batch waits for the next run
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, socket.timeout, TimeoutError,
                     ConnectionError, OSError)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** attempts, 24 * 60))


def claim(now: dt.datetime, limit: int) -> list[int]:
    """Take up to ``limit`` messages due at ``now`` for this sender; commits the claim.

    ``now`` decides what is due (it may be simulated: tests, `--now`); the lease is about
    whether the claiming process is still alive, so it runs on the wall clock."""
    wall = dt.datetime.now(dt.timezone.utc)
    due = or_(OutboxMessage.status == OutboxStatus.PENDING,
              (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_until < wall))
    stmt = (select(OutboxMessage.id).where(due, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(stmt))
    claimed = []
    if ids:
        # Conditional: a row another sender claimed meanwhile (possible on SQLite, which has no
        # row locks) no longer matches ``due`` and is not returned.
        claimed = list(db.session.scalars(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids), due)
            .values(status=OutboxStatus.SENDING, claimed_until=wall + LEASE).returning(OutboxMessage.id)))
    db.session.commit()
    return claimed


def _load(ids):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .options(joinedload(OutboxMessage.parliamentarian),
                 selectinload(OutboxMessage.reminders).joinedload(Reminder.pairing).joinedload(Pairing.prisoner),
                 selectinload(OutboxMessage.reminders).joinedload(Reminder.key_date))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    ).unique().all()


def _finish(msg: OutboxMessage, status: OutboxStatus, reminder_status: ReminderStatus | None = None,
            reason: str | None = None) -> None:
    msg.status = status
    msg.claimed_until = None
    if reminder_status:
        for r in msg.reminders:
            if r.status in (ReminderStatus.QUEUED, ReminderStatus.PLANNED):
                r.status = reminder_status
                if reason:
                    r.status_reason = reason


def _fail(msg: OutboxMessage, error: str, now: dt.datetime) -> None:
    msg.attempts += 1
    msg.last_error = error[:2000]
    msg.claimed_until = None
    if msg.attempts >= current_app.config["REMINDER_MAX_ATTEMPTS"]:
        msg.status = OutboxStatus.FAILED
    else:
        msg.status = OutboxStatus.PENDING
        msg.next_attempt_at = now + backoff(msg.attempts)


def deliver(now: dt.datetime, batch_size: int = 200, per_message_connection: bool = False) -> dict:
    """Send what is due at ``now``. Returns counts. Commits as it goes (each message once).

    ``per_message_connection`` opens an SMTP connection for every message instead of one per
    batch: only for the benchmark that compares the two."""
    cfg = current_app.config
    grace = dt.timedelta(hours=cfg["REMINDER_GRACE_HOURS"])
    stats = {"claimed": 0, "sent": 0, "failed": 0, "retry": 0, "cancelled": 0, "skipped": 0, "late": 0}
    ids = claim(now, batch_size)
    stats["claimed"] = len(ids)
    if not ids:
        return stats
    session = db.session()
    # Each message is committed on its own; keep the loaded batch usable across commits
    # instead of reloading it row by row after each one.
    session.expire_on_commit = False
    try:
        return _deliver_claimed(session, ids, now, grace, stats, per_message_connection)
    finally:
        session.expire_on_commit = True


def _connections(to_send, per_message_connection):
    """Yield (connection, index, item): one connection for the batch, or one per message."""
    if per_message_connection:
        for i, item in enumerate(to_send):
            with connection() as conn:
                yield conn, i, item
    else:
        with connection() as conn:
            for i, item in enumerate(to_send):
                yield conn, i, item


def _deliver_claimed(session, ids, now, grace, stats, per_message_connection=False) -> dict:
    messages = _load(ids)
    prefs = _preferences()
    to_send = []
    for msg in messages:
        live = [r for r in msg.reminders if r.status == ReminderStatus.QUEUED]
        for r in live:
            reason = skip_reason(r.pairing, prefs.get(r.parliamentarian_id), r.kind)
            if reason:
                r.status, r.status_reason = ReminderStatus.CANCELLED, reason
        live = [r for r in live if r.status == ReminderStatus.QUEUED]
        if not live:
            _finish(msg, OutboxStatus.CANCELLED)
            stats["cancelled"] += 1
        elif msg.due_at < now - grace:
            _finish(msg, OutboxStatus.SKIPPED, ReminderStatus.SKIPPED, "missed by more than the grace period")
            stats["skipped"] += 1
        else:
            msg.is_late = msg.due_at < now - dt.timedelta(hours=1)
            stats["late"] += int(msg.is_late)
            to_send.append((msg, live))
    db.session.commit()

    if to_send:
        try:
            for conn, i, (msg, live) in _connections(to_send, per_message_connection):
                try:
                    email = build_reminder_email(msg, live, now=now)
                except ValueError as exc:  # e.g. a malformed recipient address: a clear error for staff
                    _fail(msg, f"Cannot build the email: {exc}", now)
                    msg.status = OutboxStatus.FAILED
                    stats["failed"] += 1
                    db.session.commit()
                    continue
                try:
                    conn.send(email)
                except smtplib.SMTPRecipientsRefused as exc:
                    _fail(msg, f"Recipient refused: {exc.recipients}", now)
                except smtplib.SMTPResponseException as exc:
                    _fail(msg, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", now)
                except CONNECTION_ERRORS as exc:
                    _fail(msg, f"Connection: {exc!r}", now)
                    db.session.commit()
                    _release([m for m, _ in to_send[i + 1:]])
                    stats["retry"] += 1
                    break
                else:
                    msg.subject = email.subject
                    msg.sent_at = now
                    _finish(msg, OutboxStatus.SENT, ReminderStatus.SENT)
                    stats["sent"] += 1
                    db.session.commit()
                    continue
                stats["failed" if msg.status == OutboxStatus.FAILED else "retry"] += 1
                db.session.commit()
        except CONNECTION_ERRORS as exc:  # could not connect, or the server hung up on QUIT
            unsent = [m for m, _ in to_send if m.status == OutboxStatus.SENDING]
            for m in unsent:
                _fail(m, f"Connection: {exc!r}", now)
            stats["retry"] += len(unsent)
            db.session.commit()
    return stats


def _release(messages) -> None:
    """Give claimed-but-untried messages back at once (no attempt counted)."""
    for m in messages:
        if m.status == OutboxStatus.SENDING:
            m.status = OutboxStatus.PENDING
            m.claimed_until = None
    db.session.commit()


def retry(message: OutboxMessage, now: dt.datetime) -> None:
    """Staff retry of a failed message: back to pending, due now, attempts reset."""
    if message.status not in (OutboxStatus.FAILED, OutboxStatus.CANCELLED, OutboxStatus.SKIPPED):
        raise ValueError("Only a failed, cancelled or skipped message can be retried.")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    message.due_at = max(message.due_at, now - dt.timedelta(minutes=1))
    for r in message.reminders:
        if r.status in (ReminderStatus.CANCELLED, ReminderStatus.SKIPPED):
            r.status, r.status_reason = ReminderStatus.QUEUED, "retried by staff"
    db.session.flush()
