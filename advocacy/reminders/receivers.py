"""The reminder engine's answers to domain events (see ``advocacy.events``)."""
from sqlalchemy import update

from advocacy import events
from advocacy.extensions import db
from advocacy.reminders.models import Reminder, ReminderStatus


@events.pairing_ended.connect
def cancel_unsent_reminders(pairing, reason=None, **_):
    """A pairing ended: its unsent reminders are cancelled at once, with the reason (the
    sender would drop them anyway; this makes the reminder pages right immediately)."""
    why = f"the pairing ended ({reason.label.lower()})" if reason is not None else "the pairing ended"
    db.session.execute(
        update(Reminder).where(Reminder.pairing_id == pairing.id,
                               Reminder.status.in_((ReminderStatus.PLANNED, ReminderStatus.QUEUED)))
        .values(status=ReminderStatus.CANCELLED, status_reason=why[:300])
        .execution_options(synchronize_session=False))
