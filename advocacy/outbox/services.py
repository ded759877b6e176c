"""Queueing mail: every email the service sends is queued here, then sent by the sender.

``queue(kind, template, …)`` renders the mail now and stores it as an outbox row (reminders
are queued by the planner instead, and worded when sent). ``urgent=True`` marks mail a person
is waiting for (password reset, sign-in link): after the request's transaction commits, the
request sends exactly those rows through the same sender code; if that first try fails, the
row stays pending and the scheduler's sender retries it.
"""
from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import event

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.i18n import mail_locale
from advocacy.mail import AddressError, check_address, new_message_id, render_parts
from advocacy.outbox.models import OutboxKind, OutboxMessage, OutboxStatus

log = logging.getLogger("advocacy.outbox")
_URGENT = "outbox_urgent"
_URGENT_COMMITTED = "outbox_urgent_committed"


def queue(kind: OutboxKind, template: str, *, subject: str, recipient: str | None, recipient_name: str | None = None,
          to_parliamentarian=None, to_user=None, about_pairing=None, key: str | None = None, headers: dict | None = None,
          urgent: bool = False, now: dt.datetime | None = None, **context) -> OutboxMessage:
    """Render ``email/<template>`` with ``context`` in the recipient's language
    (``advocacy.i18n.recipient_locale``) and queue it for ``recipient`` (the row
    is linked to ``to_parliamentarian``/``to_user`` and ``about_pairing`` for staff pages).
    Flushes; the caller commits.

    An address that cannot be used is not an exception for the caller: the row is stored as
    ``failed`` with the reason, so staff see it (and can fix the address and resend).
    ``key`` makes queueing idempotent: a second call with the same key returns the first row.
    """
    now = now or utcnow()
    if key:
        existing = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
        if existing is not None:
            return existing
    message_id = new_message_id()
    # in the recipient's language, in a request or in the scheduler: ``subject`` may be a lazy
    # string (``lazy_gettext``), resolved here
    with mail_locale(parliamentarian=to_parliamentarian, user=to_user):
        body, html = render_parts(template, **context)
        subject = str(subject)
    msg = OutboxMessage(
        idempotency_key=key or f"{kind.value}:{message_id.strip('<>')}"[:200],
        kind=kind, recipient=recipient or "", recipient_name=recipient_name,
        parliamentarian_id=getattr(to_parliamentarian, "id", None), user_id=getattr(to_user, "id", None),
        pairing_id=getattr(about_pairing, "id", None), subject=subject[:300], body_text=body, body_html=html,
        headers=dict(headers or {}), message_id=message_id, status=OutboxStatus.PENDING,
        due_at=now, next_attempt_at=now, attempts=0,
    )
    try:
        msg.recipient = check_address(recipient)
    except AddressError as exc:
        msg.status, msg.last_error = OutboxStatus.FAILED, f"Not sent: {exc}"
    db.session.add(msg)
    db.session.flush()
    if urgent and msg.status == OutboxStatus.PENDING:
        db.session.info.setdefault(_URGENT, []).append(msg.id)
    return msg


def _after_commit(session):
    ids = session.info.pop(_URGENT, None)
    if ids:
        session.info.setdefault(_URGENT_COMMITTED, []).extend(ids)


def _after_rollback(session):
    session.info.pop(_URGENT, None)


def send_urgent_now() -> dict | None:
    """Send the urgent rows committed so far in this request, now. Never raises: a failure
    leaves them pending for the scheduler, with the reason recorded."""
    ids = db.session().info.pop(_URGENT_COMMITTED, None)
    return _send_ids(ids) if ids else None


def _send_ids(ids: list[int]) -> dict | None:
    from advocacy.outbox.sender import deliver

    try:
        return deliver(utcnow(), ids=ids, batch_size=len(ids),
                       budget_seconds=current_app.config["MAIL_TIMEOUT"] * 2)
    except Exception:  # noqa: BLE001 — the mail is queued; the scheduler will send it
        log.exception("sending urgent mail %s failed; the scheduler will retry", ids)
        db.session.rollback()
        return None


def install(app) -> None:
    """Track urgent rows through commits; send what a request queued once its response has
    gone out (so neither its latency nor its timing depends on the relay: a password reset
    for an existing account answers as fast as one for an unknown address)."""
    from sqlalchemy.orm import Session

    if not getattr(install, "_listening", False):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda s, t: _after_rollback(s) if t.parent is None else None)
        install._listening = True

    @app.after_request
    def _send_urgent_after_response(response):
        ids = db.session().info.pop(_URGENT_COMMITTED, None)
        if not ids:
            return response
        if not current_app.config["MAIL_URGENT_AFTER_RESPONSE"]:
            _send_ids(ids)  # before the response (the test suite's default: one session)
            return response
        flask_app = current_app._get_current_object()

        def send():
            with flask_app.app_context():
                _send_ids(ids)
                db.session.remove()

        response.call_on_close(send)
        return response


def mail_about_pairing(pairing_id: int, limit: int = 20) -> list[OutboxMessage]:
    """The newest mail about one pairing: its invitations and notices, and the reminder mail
    (single or digest) carrying any of its reminders. Two indexed lookups."""
    from sqlalchemy import column, or_, select, table

    reminders = table("reminders", column("outbox_key"), column("pairing_id"))
    reminder_keys = select(reminders.c.outbox_key).where(reminders.c.pairing_id == pairing_id)
    return db.session.scalars(
        select(OutboxMessage).where(or_(OutboxMessage.pairing_id == pairing_id,
                                        OutboxMessage.idempotency_key.in_(reminder_keys)))
        .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc()).limit(limit)).all()


def failed_count() -> int:
    """Messages that failed for good (dashboard figure; indexed on status)."""
    from sqlalchemy import func, select

    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.FAILED)) or 0
