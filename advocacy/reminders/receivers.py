"""The reminder engine's answers to domain events (see ``advocacy.events``)."""
from sqlalchemy import update

from advocacy import events
from advocacy.extensions import db
from advocacy.reminders.models import Reminder, ReminderStatus, RuleKind
from advocacy.reminders.planner import skip_reason


@events.pairing_ended.connect
def cancel_unsent_reminders(pairing, reason=None, **_):
    """A pairing ended: its unsent reminders are cancelled at once, with the reason (the
    sender would drop them anyway; this makes the reminder pages right immediately)."""
    # The planner's own rule says why (one rule table for "may this reminder go out").
    why = skip_reason(pairing, None, RuleKind.BIRTHDAY) or "the pairing ended"
    db.session.execute(
        update(Reminder).where(Reminder.pairing_id == pairing.id,
                               Reminder.status.in_((ReminderStatus.PLANNED, ReminderStatus.QUEUED)))
        .values(status=ReminderStatus.CANCELLED, status_reason=why[:300])
        .execution_options(synchronize_session=False))
