"""How a reminder speaks of its date, decided when the mail is actually sent.

A reminder planned for 15 January says "today" only if it goes out on 15 January in the
recipient's time zone. Sent later (the scheduler was down, the SMTP server refused for a day),
it names the date instead of a relative word that would now be wrong.
"""
import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo


@dataclasses.dataclass(frozen=True)
class When:
    #: "is" for today or later, "was" for a day already past on the day of sending
    verb: str
    #: "today", "tomorrow", "in 3 days", "yesterday", "2 days ago"; None when the mail is late
    relative: str | None
    #: the date itself, e.g. "15 January"
    date: str

    @property
    def is_late(self) -> bool:
        return self.relative is None

    def phrase(self) -> str:
        """'is today (15 January)' on time, 'was on 15 January' when late."""
        return f"{self.verb} {self.relative} ({self.date})" if self.relative else f"{self.verb} on {self.date}"


def sending_day(now: dt.datetime, time_zone: str) -> dt.date:
    """The recipient's local calendar day at the instant ``now``."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def relative_day(day: dt.date, on: dt.date) -> str:
    days = (day - on).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def when(occurs_on: dt.date, *, planned_send_on: dt.date, now: dt.datetime, time_zone: str) -> When:
    """How to speak of ``occurs_on`` in a mail sent at ``now``, planned for ``planned_send_on``.

    Relative words are computed for the recipient's local day at ``now``; a mail sent on a
    later local day than planned is late and names the date instead."""
    on = sending_day(now, time_zone)
    verb = "was" if occurs_on < on else "is"
    relative = None if on > planned_send_on else relative_day(occurs_on, on)
    return When(verb=verb, relative=relative, date=f"{occurs_on:%-d %B}")
