"""Why a reminder was cancelled, skipped or failed, in the reader's language.

The planner, the delivery and the outbox store these reasons in English (``Reminder.status_reason``):
once stored, they are data. Those from the fixed set below are translated when shown; any other
(an SMTP server's error, a reason stored by an older version) is shown as it was stored.
"""
from flask_babel import gettext

from advocacy.prisoners.models import PrisonerStatus
from advocacy.reminders.models import RuleKind


def N_(message: str) -> str:
    """Marks a reason for the catalogue; it is stored in English and translated when shown."""
    return message


#: reasons that are always worded the same (planner, delivery, outbox)
FIXED = {
    N_("the pairing is no longer active"),
    N_("the pairing ended"),
    N_("the parliamentarian has no email address"),
    N_("the recipient unsubscribed"),
    N_("the date came before the adoption"),
    N_("the rule was turned off or changed"),
    N_("the date was deleted"),
    N_("the date moved"),
    N_("missed by more than the grace period (the scheduler was down)"),
    N_("missed by more than the grace period"),
    N_("none of its reminders still holds"),
    N_("sent again by staff"),
    N_("they stand by no prisoner in custody"),
}

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

_KNOWN = FIXED | set(PRISONER_GONE.values()) | set(UNWANTED.values())


def reason_text(reason: str | None) -> str | None:
    """A stored reason in the current locale (unknown reasons unchanged)."""
    if not reason:
        return reason
    reason = _EARLIER.get(reason, reason)
    if reason in _KNOWN:
        return gettext(reason)
    return reason
