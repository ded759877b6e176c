"""Reminder emails: what each date means for the godparent, and a suggested action."""
import datetime as dt

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from advocacy.mail import build_message, check_address, external_url
from advocacy.reminders.models import RuleKind
from advocacy.security import signing_keys
from advocacy.reminders.wording import when as wording_when


def _serializer():
    return URLSafeSerializer(signing_keys(), salt="advocacy-unsubscribe")


def unsubscribe_token(parliamentarian_id: int) -> str:
    return _serializer().dumps({"p": parliamentarian_id})


def read_unsubscribe_token(token: str) -> int | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return data.get("p") if isinstance(data, dict) else None


absolute = external_url


def describe(reminder, *, now: dt.datetime) -> dict:
    """Title, explanation and suggested action for one reminder, adapted to the case and worded
    for a mail sent at ``now`` (a late mail names the date instead of "today")."""
    p = reminder.prisoner if reminder.prisoner is not None else reminder.pairing.prisoner
    kd = reminder.key_date
    when = reminder.occurs_on
    told = wording_when(when, planned_send_on=reminder.send_on, now=now, time_zone=reminder.parliamentarian.time_zone)
    incommunicado = p.incommunicado_since is not None
    write = ("Letters are unlikely to reach them while they are held incommunicado: an appeal to the "
             "authorities (the prison administration, the Prosecutor General) asking for proof of life and access "
             "to a lawyer may do more." if incommunicado else
             "A postcard or a short, warm letter in Russian or Belarusian means a lot; see the letter page for the address.")
    kind = reminder.kind
    if kind == RuleKind.BIRTHDAY:
        title = f"{p.name}'s birthday {told.phrase()}"
        action = f"Send birthday wishes, and say publicly that {p.name} should celebrate at home. {write}"
    elif kind == RuleKind.ARREST_ANNIVERSARY:
        years = when.year - p.detained_on.year
        title = f"{years} year{'s' if years != 1 else ''} since {p.name} was arrested ({when:%-d %B})"
        action = f"A statement or a social media post on the anniversary keeps {p.name}'s case visible. {write}"
    elif kind == RuleKind.MILESTONE:
        title = f"{p.name} has been behind bars for {reminder.milestone_days:,} days"
        action = f"Mark the milestone with a statement or a parliamentary question. {write}"
    elif kind == RuleKind.ADOPTION_ANNIVERSARY:
        title = f"One more year as {p.name}'s godparent"
        action = "Thank you for standing by them. A statement renewing your support is a strong signal."
    elif kind in (RuleKind.HEARING, RuleKind.VERDICT):
        what = kd.kind.label.lower() if kd else "hearing"
        court = f" at {kd.place}" if kd and kd.place else ""
        at = f" at {kd.occurs_at_time:%H:%M} (Minsk time)" if kd and kd.occurs_at_time else ""
        day = f"{told.verb} {told.relative}: {told.date}" if told.relative else f"{told.verb} on {told.date}"
        title = f"{p.name}'s {what} {day}{at}{court}"
        action = (f"Please make a statement before the {what}, ask your embassy colleagues to observe it, or request "
                  f"to observe the {what} yourself{court}. Afterwards, tell us what you did.")
    elif kind == RuleKind.HEARING_FOLLOWUP:
        what = kd.kind.label.lower() if kd else "hearing"
        title = (f"Yesterday was {p.name}'s {what}: did you attend or speak?" if told.relative == "yesterday" else
                 f"{p.name}'s {what} {told.phrase()}: did you attend or speak?")
        action = "If you made a statement or observed the hearing, record it in the portal so the campaign can share it."
    elif kind == RuleKind.NUDGE:
        title = f"{p.name} is waiting to hear from you"
        action = (f"We have not recorded a statement of yours about {p.name} for a while. A short public statement, "
                  f"a parliamentary question or a letter keeps the case alive; record it in the portal. {write}")
    else:
        title, action = f"A date for {p.name}", write
    return {"title": title, "action": action, "prisoner": p, "key_date": kd, "incommunicado": incommunicado,
            "portal_url": absolute("portal.prisoner", prisoner_id=p.id),
            "letter_url": absolute("portal.letter", prisoner_id=p.id),
            "statement_url": absolute("portal.add_statement", pairing_id=reminder.pairing_id)}


def build_reminder_email(msg, reminders, *, now: dt.datetime):
    """The Flask-Mail Message for an outbox row. Raises ValueError for an unusable address."""
    check_address(msg.recipient)
    parl = msg.parliamentarian
    items = [describe(r, now=now) for r in reminders]
    unsubscribe = absolute("reminders.unsubscribe", token=unsubscribe_token(parl.id))
    subject = items[0]["title"] if len(items) == 1 else f"{len(items)} dates for the prisoners you stand by"
    if msg.is_late:
        subject = f"(Late) {subject}"
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "X-Advocacy-Outbox-Id": str(msg.id),
    }
    return build_message("reminders/reminder", subject=subject[:250], recipient=msg.recipient,
                         recipient_name=parl.full_name,
                         message_id=msg.message_id, headers=headers, parl=parl, items=items, is_late=msg.is_late,
                         unsubscribe_url=unsubscribe, preferences_url=absolute("reminders.preferences"),
                         portal_url=absolute("portal.index"))
