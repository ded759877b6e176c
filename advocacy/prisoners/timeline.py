"""A prisoner's case in order: arrest, hearings, verdict, status changes, pairings, statements and
release. Pure: the caller decides which rows may be shown (staff: all; the public pages: what
``advocacy.public.services`` allows) and passes them in."""
from __future__ import annotations

import dataclasses
import datetime as dt

from flask_babel import gettext as _

from advocacy.prisoners.models import FREED, KeyDateKind

#: same-day events in the order a case unfolds
_ORDER = {"arrest": 0, "hearing": 1, "verdict": 2, "status": 3, "release": 4, "pairing": 5, "pairing_end": 6,
          "statement": 7, "date": 8}


@dataclasses.dataclass(frozen=True)
class Event:
    on: dt.date
    kind: str  # a key of _ORDER; also the CSS class "ev-<kind>"
    text: str
    detail: str = ""
    is_upcoming: bool = False
    url: str | None = None


def build(prisoner, *, key_dates=(), status_changes=(), pairings=(), statements=(), today: dt.date,
          show_notes: bool = False, statement_url=None) -> list[Event]:
    """Events of ``prisoner`` from the rows given, oldest first. ``show_notes`` adds staff notes
    (status notes, end reasons); ``statement_url(statement)`` links statements when given."""
    events: list[Event] = []
    if prisoner.detained_on:
        events.append(Event(prisoner.detained_on, "arrest", _("Arrested")))
    has_verdict_date = False
    for kd in key_dates:
        if kd.kind in (KeyDateKind.TRIAL, KeyDateKind.APPEAL):
            events.append(Event(kd.occurs_on, "hearing", kd.kind.label, kd.place or "", kd.occurs_on > today))
        elif kd.kind == KeyDateKind.VERDICT:
            has_verdict_date = has_verdict_date or kd.occurs_on == prisoner.verdict_on
            events.append(Event(kd.occurs_on, "verdict", _("Verdict"), prisoner.sentence_text or "", kd.occurs_on > today))
        elif show_notes:
            events.append(Event(kd.occurs_on, "date", kd.title, kd.place or "", kd.occurs_on > today))
    if prisoner.verdict_on and not has_verdict_date:
        events.append(Event(prisoner.verdict_on, "verdict", _("Verdict"), prisoner.sentence_text or ""))
    for sc in status_changes:
        kind = "release" if sc.status in FREED else "status"
        events.append(Event(sc.changed_on, kind, sc.status.label, (sc.note or "") if show_notes else ""))
    for p in pairings:
        if p.started_on:
            events.append(Event(p.started_on, "pairing", _("%(name)s became a godparent", name=p.parliamentarian.full_name),
                                f"{p.parliamentarian.country} · {p.parliamentarian.parliament}"))
        if p.ended_on:
            reason = p.end_reason.label if (show_notes and p.end_reason) else ""
            events.append(Event(p.ended_on, "pairing_end", _("%(name)s's godparenthood ended", name=p.parliamentarian.full_name), reason))
    for s in statements:
        events.append(Event(s.made_on, "statement", _("%(kind)s by %(name)s", kind=s.kind.label, name=s.pairing.parliamentarian.full_name), s.title,
                            url=statement_url(s) if statement_url else None))
    events.sort(key=lambda e: (e.on, _ORDER[e.kind]))
    return events
