"""The sender: claims due outbox rows and sends them, for every kind of mail.

Promises, with any number of senders against one PostgreSQL:

* **A claim cannot be stolen.** ``claim`` marks rows ``sending`` with this run's own
  ``claim_token`` and a lease. Before each group of sends the sender renews the lease of the
  group's rows it still holds, with an ``UPDATE … WHERE claim_token = :mine RETURNING id``
  (and, every third of a lease, of the rest of its batch); on PostgreSQL that UPDATE also
  row-locks the group's rows until their statuses are committed, so a
  second sender (whose claim query uses ``SKIP LOCKED``) cannot take a row while it is being
  sent, however slow the relay or short the lease. A row whose lease ran out before the group
  started, and that another sender took, no longer carries our token: we neither send nor
  finish it. SQLite has one writer at a time, which gives the same guarantee there.
* **One message never stops the others.** Any exception while building or sending a message
  fails that message with the reason, and the batch goes on. A timeout or dropped connection
  counts an attempt against the message that was being sent, then the sender reconnects.
* **Permanent refusals fail at once** (5xx, an address the relay cannot take); temporary ones
  (4xx, timeouts) back off exponentially up to ``MAIL_MAX_ATTEMPTS``.
* **A run drains** what is due, batch after batch, within ``MAIL_DELIVER_BUDGET_SECONDS``.

Statuses are committed per group of ``MAIL_COMMIT_EVERY`` messages (one round trip for the
group, not one per message). The price: a sender killed mid-group re-sends that group's
already-accepted messages once its lease expires; they keep their Message-ID, so receivers
can recognise them. ``MAIL_COMMIT_EVERY = 1`` makes that window one message.

Kinds with work to do at send time register a *renderer* (reminders do: they are worded for
the moment they are sent and cancelled if their reminders no longer hold). Every other kind
is sent from the text stored when it was queued.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import secrets
import smtplib
import socket
import time
from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from advocacy.extensions import db
from advocacy.mail import AddressError, Message, open_connection
from advocacy.outbox.models import OutboxKind, OutboxMessage, OutboxStatus

log = logging.getLogger("advocacy.outbox")

#: errors of the connection itself: the message in flight is retried, the sender reconnects
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, socket.timeout, TimeoutError,
                     ConnectionError, smtplib.SMTPHeloError, OSError)


@dataclasses.dataclass
class Drop:
    """A renderer's decision not to send: the message ends with ``status`` and ``reason``."""
    status: OutboxStatus
    reason: str


@dataclasses.dataclass
class Renderer:
    #: (messages) -> None: load in bulk what ``render`` needs (optional)
    prepare: Callable | None
    #: (message, now) -> Message | Drop
    render: Callable
    #: (message, status, reason) -> None: carry the final state to related rows (optional)
    finished: Callable | None = None


RENDERERS: dict[OutboxKind, Renderer] = {}


def register(kind: OutboxKind, renderer: Renderer) -> None:
    RENDERERS[kind] = renderer


def stored_message(msg: OutboxMessage) -> Message:
    """The mail as it was rendered when it was queued."""
    if msg.body_text is None:
        raise ValueError(_("the message has no stored text (it was sent already and its secret link cleared)"))
    return Message(subject=msg.subject or "", recipient=msg.recipient, recipient_name=msg.recipient_name,
                   body=msg.body_text, html=msg.body_html, message_id=msg.message_id, headers=msg.headers or {})


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** attempts, 24 * 60))


def _wall() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])


def _due(now: dt.datetime, wall: dt.datetime):
    return or_(OutboxMessage.status == OutboxStatus.PENDING,
               (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_until < wall))


def claim(now: dt.datetime, limit: int, token: str, ids: list[int] | None = None) -> list[int]:
    """Take up to ``limit`` messages due at ``now`` (or exactly ``ids``) for the run ``token``.
    Commits the claim. ``now`` decides what is due (it may be simulated); the lease is about
    whether the claiming process is alive, so it runs on the wall clock."""
    wall = _wall()
    due = _due(now, wall)
    stmt = select(OutboxMessage.id).where(due)
    stmt = stmt.where(OutboxMessage.id.in_(ids)) if ids is not None else stmt.where(OutboxMessage.next_attempt_at <= now)
    stmt = stmt.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    found = list(db.session.scalars(stmt))
    claimed = []
    if found:
        claimed = list(db.session.scalars(
            update(OutboxMessage).where(OutboxMessage.id.in_(found), due)
            .values(status=OutboxStatus.SENDING, claimed_until=wall + _lease(), claim_token=token)
            .returning(OutboxMessage.id)))
    db.session.commit()
    return claimed


def _hold(token: str, ids: list[int]) -> set[int]:
    """Renew the lease of those of ``ids`` this run still holds, and (PostgreSQL) lock them
    until the next commit. Returns their ids: a row missing here was taken by another sender."""
    return set(db.session.scalars(
        update(OutboxMessage).where(OutboxMessage.claim_token == token, OutboxMessage.status == OutboxStatus.SENDING,
                                    OutboxMessage.id.in_(ids))
        .values(claimed_until=_wall() + _lease()).returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)))


def _renew(token: str) -> None:
    """Extend the lease of every row this run still holds (the rest of a long batch)."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.claim_token == token, OutboxMessage.status == OutboxStatus.SENDING)
        .values(claimed_until=_wall() + _lease()).execution_options(synchronize_session=False))


class _Run:
    def __init__(self, now: dt.datetime, per_message_connection: bool):
        self.now = now
        self.per_message_connection = per_message_connection
        self.token = secrets.token_hex(16)
        self.conn = None
        self.cannot_connect: str | None = None
        self.stats = {"claimed": 0, "sent": 0, "failed": 0, "retry": 0, "cancelled": 0, "skipped": 0, "late": 0,
                      "lost_claim": 0, "released": 0}
        cfg = current_app.config
        self.max_attempts = cfg["MAIL_MAX_ATTEMPTS"]
        self.group = max(1, int(cfg["MAIL_COMMIT_EVERY"]))

    # -- connection ------------------------------------------------------------------------
    def connect(self):
        if self.conn is None:
            self.conn = open_connection()
        return self.conn

    def drop_connection(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def after_send(self):
        if self.per_message_connection and self.conn is not None:
            conn, self.conn = self.conn, None
            conn.__exit__(None, None, None)

    def close(self):
        if self.conn is not None:
            conn, self.conn = self.conn, None
            conn.__exit__(None, None, None)

    # -- outcomes --------------------------------------------------------------------------
    def finish(self, msg: OutboxMessage, status: OutboxStatus, reason: str | None = None):
        msg.status = status
        msg.claimed_until = None
        msg.claim_token = None
        if reason is not None:
            msg.last_error = reason[:2000]
        if status == OutboxStatus.SENT:
            msg.sent_at = self.now
            self.stats["late"] += int(bool(msg.is_late))
            if msg.kind.carries_secret:
                msg.body_text = msg.body_html = None
        renderer = RENDERERS.get(msg.kind)
        if renderer and renderer.finished:
            renderer.finished(msg, status, reason)
        key = {OutboxStatus.SENT: "sent", OutboxStatus.FAILED: "failed", OutboxStatus.CANCELLED: "cancelled",
               OutboxStatus.SKIPPED: "skipped"}[status]
        self.stats[key] += 1

    def fail(self, msg: OutboxMessage, reason: str, *, permanent: bool):
        msg.attempts += 1
        if permanent or msg.attempts >= self.max_attempts:
            if not permanent:
                reason = f"{reason} (gave up after {msg.attempts} attempts)"
            self.finish(msg, OutboxStatus.FAILED, reason)
        else:
            msg.last_error = reason[:2000]
            msg.status = OutboxStatus.PENDING
            msg.claimed_until = None
            msg.claim_token = None
            msg.next_attempt_at = self.now + backoff(msg.attempts)
            self.stats["retry"] += 1

    def release(self, msg: OutboxMessage, reason: str):
        """Give a claimed, untried message back (no attempt counted): the relay was unreachable."""
        msg.status = OutboxStatus.PENDING
        msg.claimed_until = None
        msg.claim_token = None
        msg.last_error = reason[:2000]
        msg.next_attempt_at = max(msg.next_attempt_at, self.now + dt.timedelta(minutes=1))
        self.stats["released"] += 1

    # -- one message -------------------------------------------------------------------------
    def send_one(self, msg: OutboxMessage):
        renderer = RENDERERS.get(msg.kind)
        try:
            email = renderer.render(msg, self.now) if renderer else stored_message(msg)
        except Exception as exc:  # noqa: BLE001 — isolate: this message fails with the reason, the batch goes on
            log.exception("cannot build outbox message %s", msg.id)
            self.fail(msg, f"Cannot build the email: {exc}", permanent=True)
            return
        if isinstance(email, Drop):
            self.finish(msg, email.status, email.reason)
            return
        if self.cannot_connect:
            self.release(msg, self.cannot_connect)
            return
        try:
            conn = self.connect()
        except Exception as exc:  # noqa: BLE001 — the relay is unreachable: keep the rest for the next run
            self.cannot_connect = f"Cannot connect to the mail server: {exc!r}"
            log.warning("%s", self.cannot_connect)
            self.release(msg, self.cannot_connect)
            return
        try:
            conn.send(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            detail = "; ".join(f"{addr}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                               for addr, (code, text) in exc.recipients.items())
            self.fail(msg, f"Recipient refused: {detail}", permanent=all(c >= 500 for c in codes))
        except smtplib.SMTPNotSupportedError as exc:
            self.fail(msg, f"The mail server cannot deliver to this address: {exc}", permanent=True)
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            self.fail(msg, f"SMTP {exc.smtp_code}: {text}", permanent=exc.smtp_code >= 500)
            if exc.smtp_code in (421,):  # the server is closing the connection
                self.drop_connection()
        except AddressError as exc:
            self.fail(msg, str(exc), permanent=True)
        except UnicodeError as exc:
            self.fail(msg, f"Cannot encode the email: {exc}", permanent=True)
        except CONNECTION_ERRORS as exc:
            self.fail(msg, f"Connection: {exc!r}", permanent=False)
            self.drop_connection()
        except Exception as exc:  # noqa: BLE001 — isolate anything else, with its reason
            log.exception("sending outbox message %s", msg.id)
            self.fail(msg, f"Unexpected error: {exc!r}", permanent=False)
            self.drop_connection()
        else:
            if msg.subject is None or msg.kind == OutboxKind.REMINDER:
                msg.subject = email.subject[:300]
            self.finish(msg, OutboxStatus.SENT)
        finally:
            self.after_send()

    # -- a claimed batch -----------------------------------------------------------------------
    def send_batch(self, ids: list[int]):
        session = db.session()
        messages = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                   .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)).all()
        by_kind: dict[OutboxKind, list] = {}
        for m in messages:
            by_kind.setdefault(m.kind, []).append(m)
        for kind, group in by_kind.items():
            renderer = RENDERERS.get(kind)
            if renderer and renderer.prepare:
                renderer.prepare(group)
        session.commit()
        renewed = time.monotonic()
        for start in range(0, len(messages), self.group):
            group = messages[start:start + self.group]
            if time.monotonic() - renewed > _lease().total_seconds() / 3:
                _renew(self.token)  # the rows still waiting keep their claim
                renewed = time.monotonic()
            held = _hold(self.token, [m.id for m in group])
            for msg in group:
                if msg.id not in held:
                    self.stats["lost_claim"] += 1
                    session.expire(msg)
                    continue
                self.send_one(msg)
            session.commit()


def deliver(now: dt.datetime, batch_size: int | None = None, per_message_connection: bool = False,
            budget_seconds: float | None = None, ids: list[int] | None = None) -> dict:
    """Send what is due at ``now``, batch after batch, until nothing is due or the time budget
    is spent. Returns counts. Commits as it goes. ``ids`` sends exactly those messages (the
    request that queued a mail a person is waiting for). ``per_message_connection`` opens a new
    SMTP connection for every message: only for the benchmark that compares the two."""
    cfg = current_app.config
    batch_size = batch_size or cfg["MAIL_BATCH_SIZE"]
    budget = cfg["MAIL_DELIVER_BUDGET_SECONDS"] if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    run = _Run(now, per_message_connection)
    session = db.session()
    # Keep loaded rows usable across the per-group commits instead of reloading each one.
    saved, session.expire_on_commit = session.expire_on_commit, False
    try:
        while True:
            claimed = claim(now, batch_size, run.token, ids=ids)
            run.stats["claimed"] += len(claimed)
            if not claimed:
                break
            run.send_batch(claimed)
            if ids is not None or run.cannot_connect or time.monotonic() >= deadline:
                break
    finally:
        try:
            run.close()
        finally:
            session.expire_on_commit = saved
    return run.stats


def resend(message: OutboxMessage, now: dt.datetime) -> None:
    """Staff resend of a failed, cancelled or skipped message: pending again, due now,
    attempts reset. Same Message-ID. Flushes."""
    if message.status not in (OutboxStatus.FAILED, OutboxStatus.CANCELLED, OutboxStatus.SKIPPED):
        raise ValueError(_("Only a failed, cancelled or skipped message can be sent again."))
    if message.kind != OutboxKind.REMINDER and message.body_text is None:
        raise ValueError(_("This message's link was used or cleared; send a new one instead."))
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.last_error = None
    message.next_attempt_at = now
    message.due_at = max(message.due_at, now - dt.timedelta(minutes=1))
    renderer = RENDERERS.get(message.kind)
    if renderer and renderer.finished:
        renderer.finished(message, OutboxStatus.PENDING, "sent again by staff")
    db.session.flush()
