"""Why a reminder was cancelled, skipped or failed, in the reader's language.

The planner, the delivery and the outbox store these reasons in English (``Reminder.status_reason``):
once stored, they are data. Those from the fixed set below are translated when shown; any other
(an SMTP server's error, a reason stored by an older version) is shown as it was stored.
"""
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

#: "the prisoner is <status, lower case>" (planner.refusal), one whole sentence per status
_PRISONER_IS = {
    PrisonerStatus.PRE_TRIAL: _l("the prisoner is in custody, awaiting trial"),
    PrisonerStatus.SENTENCED: _l("the prisoner is in custody, sentenced"),
    PrisonerStatus.RELEASED: _l("the prisoner is released"),
    PrisonerStatus.PARDONED: _l("the prisoner is pardoned"),
    PrisonerStatus.DEPORTED: _l("the prisoner is deported on release"),
    PrisonerStatus.DECEASED: _l("the prisoner is died in custody"),
}

#: "the recipient does not want <kind, lower case> reminders" (planner.refusal)
_UNWANTED = {
    RuleKind.BIRTHDAY: _l("the recipient does not want birthday reminders"),
    RuleKind.ARREST_ANNIVERSARY: _l("the recipient does not want anniversary of the arrest reminders"),
    RuleKind.MILESTONE: _l("the recipient does not want milestone of days behind bars reminders"),
    RuleKind.HEARING: _l("the recipient does not want trial or appeal hearing reminders"),
    RuleKind.HEARING_FOLLOWUP: _l("the recipient does not want after a hearing: did you attend or speak? reminders"),
    RuleKind.VERDICT: _l("the recipient does not want verdict reminders"),
    RuleKind.ADOPTION_ANNIVERSARY: _l("the recipient does not want anniversary of your adoption reminders"),
    RuleKind.NUDGE: _l("the recipient does not want a note from the campaign team reminders"),
}


_TEMPLATES: dict | None = None


def _templates() -> dict:
    """Every fixed reason, as stored (English), to its message; built once per process."""
    global _TEMPLATES
    if _TEMPLATES is None:
        from flask_babel import force_locale

        with force_locale("en"):  # enum labels may be translatable: the stored reasons are English
            out = dict(_FIXED)
            out.update({f"the prisoner is {str(s.label).lower()}": text for s, text in _PRISONER_IS.items()})
            out.update({f"the recipient does not want {str(k.label).lower()} reminders": text
                        for k, text in _UNWANTED.items()})
        _TEMPLATES = out
    return _TEMPLATES


def reason_text(reason: str | None) -> str | None:
    """A stored reason in the current locale (unknown reasons unchanged)."""
    if not reason:
        return reason
    text = _templates().get(reason)
    return reason if text is None else str(text)
