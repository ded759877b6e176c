"""A staff reminder to a silent godparent ("nudge"), queued through the outbox like any reminder.

One ``Reminder`` of kind ``NUDGE`` per active pairing, all carried by one outbox message, so the
sender, the staff outbox, the godparent's preferences and the effectiveness figures treat it like
every other reminder. ``queue_nudge`` is the one way to queue it.
"""
import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.mail import new_message_id
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.reminders.models import (
    OutboxMessage, OutboxStatus, Reminder, ReminderPreference, ReminderRule, ReminderStatus, RuleKind,
)
from advocacy.reminders.planner import skip_reason
from advocacy.reminders.reasons import reason_text
from advocacy.sql import insert_ignore


class NudgeError(ValueError):
    """Why this godparent cannot be nudged now (a message for staff)."""


def _nudge_rule_id() -> int:
    db.session.execute(insert_ignore(ReminderRule), [dict(kind=RuleKind.NUDGE, offset_days=0, is_active=False,
                                                          created_at=dt.datetime.now(dt.timezone.utc))])
    return db.session.scalar(select(ReminderRule.id).where(ReminderRule.kind == RuleKind.NUDGE,
                                                           ReminderRule.offset_days == 0))


def queue_nudge(parliamentarian: Parliamentarian, *, now: dt.datetime) -> OutboxMessage:
    """Queue one reminder mail to ``parliamentarian`` about each prisoner they stand by, due now.
    At most one a day (a second call the same UTC day raises NudgeError). Flushes; the caller
    commits."""
    pref = db.session.scalar(select(ReminderPreference).where(ReminderPreference.parliamentarian_id == parliamentarian.id))
    pairings = db.session.scalars(
        select(Pairing).where(Pairing.parliamentarian_id == parliamentarian.id, Pairing.status == PairingStatus.ACTIVE)
        .options(joinedload(Pairing.prisoner), joinedload(Pairing.parliamentarian)).order_by(Pairing.id)).all()
    reasons = {p.id: skip_reason(p, pref, RuleKind.NUDGE) for p in pairings}
    live = [p for p in pairings if reasons[p.id] is None]
    if not live:
        why = next(iter(reasons.values()), None) or "they stand by no prisoner in custody"
        raise NudgeError(_("No reminder can go to %(name)s: %(why)s.", name=parliamentarian.full_name, why=reason_text(why)))
    okey = f"n:{parliamentarian.id}:{now.date().isoformat()}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == okey)):
        raise NudgeError(_("A reminder to %(name)s is already queued today.", name=parliamentarian.full_name))
    msg = OutboxMessage(idempotency_key=okey, parliamentarian_id=parliamentarian.id, recipient=parliamentarian.email,
                        is_digest=len(live) > 1, status=OutboxStatus.PENDING, due_at=now, next_attempt_at=now,
                        attempts=0, message_id=new_message_id(), created_at=now)
    db.session.add(msg)
    rule_id = _nudge_rule_id()
    for p in live:
        db.session.add(Reminder(
            idempotency_key=f"n:{parliamentarian.id}:{p.id}:{now.date().isoformat()}", rule_id=rule_id,
            kind=RuleKind.NUDGE, pairing_id=p.id, parliamentarian_id=parliamentarian.id, prisoner_id=p.prisoner_id,
            occurs_on=now.date(), send_on=now.date(), due_at=now, status=ReminderStatus.QUEUED, outbox_key=okey,
            created_at=now))
    db.session.flush()
    return msg
