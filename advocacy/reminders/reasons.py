"""Why a reminder was cancelled, skipped or failed, in the reader's language.

The planner, the delivery and the outbox store these reasons in English (``Reminder.status_reason``):
once stored, they are data. Those from the fixed set below are translated when shown; any other
(an SMTP server's error, a reason stored by an older version) is shown as it was stored.
"""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from advocacy.prisoners.models import PrisonerStatus
from advocacy.reminders.models import RuleKind

_FIXED = {
    "the pairing is no longer active": _l("the pairing is no longer active"),
    "the pairing ended": _l("the pairing ended"),
    "the parliamentarian has no email address": _l("the parliamentarian has no email address"),
    "the recipient unsubscribed": _l("the recipient unsubscribed"),
    "the date came before the adoption": _l("the date came before the adoption"),
    "the rule was turned off or changed": _l("the rule was turned off or changed"),
    "the date was deleted": _l("the date was deleted"),
    "the date moved": _l("the date moved"),
    "missed by more than the grace period (the scheduler was down)":
        _l("missed by more than the grace period (the scheduler was down)"),
    "missed by more than the grace period": _l("missed by more than the grace period"),
    "none of its reminders still holds": _l("none of its reminders still holds"),
    "sent again by staff": _l("sent again by staff"),
    "they stand by no prisoner in custody": _l("they stand by no prisoner in custody"),
}

def N_(message: str) -> str:
    """Marks a reason for the catalogue; it is stored in English and translated when shown."""
    return message


#: why a reminder for a prisoner no longer in custody does not go out (planner.refusal)
PRISONER_GONE = {
    PrisonerStatus.PRE_TRIAL: N_("the prisoner is in custody, awaiting trial"),
    PrisonerStatus.SENTENCED: N_("the prisoner is in custody, sentenced"),
    PrisonerStatus.RELEASED: N_("the prisoner was released"),
    PrisonerStatus.PARDONED: N_("the prisoner was pardoned"),
    PrisonerStatus.DEPORTED: N_("the prisoner was deported on release"),
    PrisonerStatus.DECEASED: N_("the prisoner died in custody"),
}

#: why a kind of reminder the recipient turned off does not go out (planner.refusal)
UNWANTED = {
    RuleKind.BIRTHDAY: N_("the recipient turned off birthday reminders"),
    RuleKind.ARREST_ANNIVERSARY: N_("the recipient turned off reminders of the arrest's anniversary"),
    RuleKind.MILESTONE: N_("the recipient turned off reminders of milestones behind bars"),
    RuleKind.HEARING: N_("the recipient turned off reminders of hearings"),
    RuleKind.HEARING_FOLLOWUP: N_("the recipient turned off the questions after a hearing"),
    RuleKind.VERDICT: N_("the recipient turned off reminders of verdicts"),
    RuleKind.ADOPTION_ANNIVERSARY: N_("the recipient turned off reminders of their adoption's anniversary"),
    RuleKind.NUDGE: N_("the recipient turned off notes from the campaign team"),
}

#: reasons as earlier versions stored them ("the prisoner is <label in lower case>") → today's
_EARLIER = {
    "the prisoner is released": PRISONER_GONE[PrisonerStatus.RELEASED],
    "the prisoner is pardoned": PRISONER_GONE[PrisonerStatus.PARDONED],
    "the prisoner is deported on release": PRISONER_GONE[PrisonerStatus.DEPORTED],
    "the prisoner is died in custody": PRISONER_GONE[PrisonerStatus.DECEASED],
    "the recipient does not want birthday reminders": UNWANTED[RuleKind.BIRTHDAY],
    "the recipient does not want anniversary of the arrest reminders": UNWANTED[RuleKind.ARREST_ANNIVERSARY],
    "the recipient does not want milestone of days behind bars reminders": UNWANTED[RuleKind.MILESTONE],
    "the recipient does not want trial or appeal hearing reminders": UNWANTED[RuleKind.HEARING],
    "the recipient does not want after a hearing: did you attend or speak? reminders":
        UNWANTED[RuleKind.HEARING_FOLLOWUP],
    "the recipient does not want verdict reminders": UNWANTED[RuleKind.VERDICT],
    "the recipient does not want anniversary of your adoption reminders": UNWANTED[RuleKind.ADOPTION_ANNIVERSARY],
    "the recipient does not want a note from the campaign team reminders": UNWANTED[RuleKind.NUDGE],
}

_KNOWN = {str(v) for v in _FIXED} | set(PRISONER_GONE.values()) | set(UNWANTED.values())


def reason_text(reason: str | None) -> str | None:
    """A stored reason in the current locale (unknown reasons unchanged)."""
    if not reason:
        return reason
    reason = _EARLIER.get(reason, reason)
    if reason in _KNOWN:
        return gettext(reason)
    return reason
