"""Reminder emails: what each date means for the godparent, and a suggested action."""
import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from itsdangerous import BadSignature, URLSafeSerializer

from advocacy.i18n import format_date, format_number, mail_locale

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


def _event_word(kd) -> str:
    """The hearing's kind as it stands in a sentence ("trial hearing", "Hauptverhandlung")."""
    return str(kd.kind.in_sentence) if kd else pgettext("in a sentence", "hearing")


def describe(reminder, *, now: dt.datetime) -> dict:
    """Title, explanation and suggested action for one reminder, adapted to the case and worded
    for a mail sent at ``now`` (a late mail names the date instead of "today"), in the language
    being rendered (``advocacy.i18n.mail_locale``)."""
    p = reminder.prisoner if reminder.prisoner is not None else reminder.pairing.prisoner
    kd = reminder.key_date
    when = reminder.occurs_on
    told = wording_when(when, planned_send_on=reminder.send_on, now=now, time_zone=reminder.parliamentarian.time_zone)
    incommunicado = p.incommunicado_since is not None
    name = p.name
    write = (_("Letters are unlikely to reach them while they are held incommunicado: an appeal to the "
               "authorities (the prison administration, the Prosecutor General) asking for proof of life and access "
               "to a lawyer may do more.") if incommunicado else
             _("A postcard or a short, warm letter in Russian or Belarusian means a lot; see the letter page for the "
               "address."))
    kind = reminder.kind
    if kind == RuleKind.BIRTHDAY:
        title = _("%(name)s's birthday %(when)s", name=name, when=told.phrase())
        action = _("Send birthday wishes, and say publicly that %(name)s should celebrate at home. %(write)s",
                   name=name, write=write)
    elif kind == RuleKind.ARREST_ANNIVERSARY:
        years = when.year - p.detained_on.year
        title = ngettext("%(num)s year since %(name)s was arrested (%(date)s)",
                         "%(num)s years since %(name)s was arrested (%(date)s)", years,
                         name=name, date=format_date(when, "MMMMd"))
        action = _("A statement or a social media post on the anniversary keeps %(name)s's case visible. %(write)s",
                   name=name, write=write)
    elif kind == RuleKind.MILESTONE:
        days = reminder.milestone_days
        title = ngettext("%(name)s has been behind bars for %(days)s day",
                         "%(name)s has been behind bars for %(days)s days", days, name=name, days=format_number(days))
        action = _("Mark the milestone with a statement or a parliamentary question. %(write)s", write=write)
    elif kind == RuleKind.ADOPTION_ANNIVERSARY:
        title = _("One more year as %(name)s's godparent", name=name)
        action = _("Thank you for standing by them. A statement renewing your support is a strong signal.")
    elif kind in (RuleKind.HEARING, RuleKind.VERDICT):
        what = _event_word(kd)
        parts = [_("%(name)s's %(what)s %(when)s", name=name, what=what, when=told.day_phrase())]
        if kd and kd.occurs_at_time:
            parts.append(_("at %(time)s (Minsk time)", time=f"{kd.occurs_at_time:%H:%M}"))
        if kd and kd.place:
            parts.append(_("at %(place)s", place=kd.place))
        title = " ".join(parts)
        action = (_("Please make a statement before the %(what)s, ask your embassy colleagues to observe it, or "
                    "request to observe the %(what)s yourself at %(place)s. Afterwards, tell us what you did.",
                    what=what, place=kd.place) if kd and kd.place else
                  _("Please make a statement before the %(what)s, ask your embassy colleagues to observe it, or "
                    "request to observe the %(what)s yourself. Afterwards, tell us what you did.", what=what))
    elif kind == RuleKind.HEARING_FOLLOWUP:
        what = _event_word(kd)
        title = (_("Yesterday was %(name)s's %(what)s: did you attend or speak?", name=name, what=what)
                 if told.days == -1 else
                 _("%(name)s's %(what)s %(when)s: did you attend or speak?", name=name, what=what, when=told.phrase()))
        action = _("If you made a statement or observed the hearing, record it in the portal so the campaign can "
                   "share it.")
    elif kind == RuleKind.NUDGE:
        title = _("%(name)s is waiting to hear from you", name=name)
        action = _("We have not recorded a statement of yours about %(name)s for a while. A short public statement, "
                   "a parliamentary question or a letter keeps the case alive; record it in the portal. %(write)s",
                   name=name, write=write)
    else:
        title, action = _("A date for %(name)s", name=name), write
    return {"title": title, "action": action, "prisoner": p, "key_date": kd, "incommunicado": incommunicado,
            "portal_url": absolute("portal.prisoner", prisoner_id=p.id),
            "letter_url": absolute("portal.letter", prisoner_id=p.id),
            "statement_url": absolute("portal.add_statement", pairing_id=reminder.pairing_id)}


def build_reminder_email(msg, reminders, *, now: dt.datetime):
    """The Flask-Mail Message for an outbox row. Raises ValueError for an unusable address."""
    check_address(msg.recipient)
    parl = msg.parliamentarian
    with mail_locale(parliamentarian=parl):
        return _reminder_email(msg, parl, reminders, now)


def _reminder_email(msg, parl, reminders, now):
    items = [describe(r, now=now) for r in reminders]
    unsubscribe = absolute("reminders.unsubscribe", token=unsubscribe_token(parl.id))
    subject = items[0]["title"] if len(items) == 1 else ngettext(
        "%(num)s date for the prisoners you stand by", "%(num)s dates for the prisoners you stand by", len(items))
    if msg.is_late:
        subject = _("(Late) %(subject)s", subject=subject)
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
