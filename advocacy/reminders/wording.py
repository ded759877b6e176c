"""How a reminder speaks of its date, decided when the mail is actually sent.

A reminder planned for 15 January says "today" only if it goes out on 15 January in the
recipient's time zone. Sent later (the scheduler was down, the SMTP server refused for a day),
it names the date instead of a relative word that would now be wrong.
"""
import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from advocacy.i18n import format_date


@dataclasses.dataclass(frozen=True)
class When:
    #: days from the sending day to the date (negative: past); None when the mail is late
    days: int | None
    #: the date is before the sending day
    past: bool
    #: the date itself, e.g. "15 January", in the mail's language
    date: str

    @property
    def is_late(self) -> bool:
        return self.days is None

    @property
    def relative(self) -> str | None:
        """'today', 'tomorrow', 'in 3 days', 'yesterday', '2 days ago'; None when late."""
        return None if self.days is None else relative_words(self.days)

    def _on_date(self) -> str:
        """A late mail names the date: 'was on 15 January' / 'is on 15 January'."""
        return _("was on %(date)s", date=self.date) if self.past else _("is on %(date)s", date=self.date)

    def phrase(self) -> str:
        """'is today (15 January)' on time, 'was on 15 January' when late: one translatable
        phrase each, so that a language can word it without a verb ("heute (15. Januar)"). The
        on-time phrases of ``phrase`` and ``day_phrase`` stay separate literals: the catalogue
        needs each whole."""
        d, date = self.days, self.date
        if d is None:
            return self._on_date()
        if d == 0:
            return _("is today (%(date)s)", date=date)
        if d == 1:
            return _("is tomorrow (%(date)s)", date=date)
        if d == -1:
            return _("was yesterday (%(date)s)", date=date)
        if d > 0:
            return ngettext("is in %(num)s day (%(date)s)", "is in %(num)s days (%(date)s)", d, date=date)
        return ngettext("was %(num)s day ago (%(date)s)", "was %(num)s days ago (%(date)s)", -d, date=date)

    def day_phrase(self) -> str:
        """'is tomorrow: 15 January' on time, 'was on 15 January' when late (for hearings)."""
        d, date = self.days, self.date
        if d is None:
            return self._on_date()
        if d == 0:
            return _("is today: %(date)s", date=date)
        if d == 1:
            return _("is tomorrow: %(date)s", date=date)
        if d == -1:
            return _("was yesterday: %(date)s", date=date)
        if d > 0:
            return ngettext("is in %(num)s day: %(date)s", "is in %(num)s days: %(date)s", d, date=date)
        return ngettext("was %(num)s day ago: %(date)s", "was %(num)s days ago: %(date)s", -d, date=date)


def sending_day(now: dt.datetime, time_zone: str) -> dt.date:
    """The recipient's local calendar day at the instant ``now``."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def relative_words(days: int) -> str:
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    return (ngettext("in %(num)s day", "in %(num)s days", days) if days > 0
            else ngettext("%(num)s day ago", "%(num)s days ago", -days))


def when(occurs_on: dt.date, *, planned_send_on: dt.date, now: dt.datetime, time_zone: str) -> When:
    """How to speak of ``occurs_on`` in a mail sent at ``now``, planned for ``planned_send_on``.

    Relative words are computed for the recipient's local day at ``now``; a mail sent on a
    later local day than planned is late and names the date instead."""
    on = sending_day(now, time_zone)
    days = None if on > planned_send_on else (occurs_on - on).days
    return When(days=days, past=occurs_on < on, date=format_date(occurs_on, "MMMMd"))
