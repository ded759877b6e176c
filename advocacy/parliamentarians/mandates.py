"""Mandates: one member, several terms. The one place that adds, updates or ends a mandate
and keeps the member's current-mandate fields (``mandate_start_on``, ``mandate_end_on``,
``political_group``) in step with them.

Rules every list import follows:
- a mandate is identified by (member, parliament, chamber, term);
- a list older than the one that last set a mandate changes nothing in it: each difference is
  returned as a conflict, for the dry run to show;
- an empty end cell never clears or shortens an end date; a mandate ends only by a date a list
  gives, or by "mark those missing from this list as having left".
Services flush; callers commit.
"""
import dataclasses
import datetime as dt

from advocacy.extensions import db
from advocacy.parliamentarians import ep_groups
from advocacy.parliamentarians.models import EUROPEAN_PARLIAMENT, Chamber, Mandate, Parliamentarian


@dataclasses.dataclass
class MandateSpec:
    """What a list says about one member's mandate. None = the list does not say."""
    parliament: str = EUROPEAN_PARLIAMENT
    chamber: Chamber = Chamber.SINGLE
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    political_group: str | None = None
    has_group: bool = False  # the list has a group column (an empty cell then means "no group")
    has_end: bool = False  # the list has an end-date column (an empty cell then means "running")


def term_of(spec: MandateSpec, source_on: dt.date) -> str:
    """The term a list's row speaks of: for the EP the term running at the mandate's start, or
    on the list's date; elsewhere the start year ("" when unknown)."""
    if spec.parliament == EUROPEAN_PARLIAMENT:
        term = ep_groups.term_on(spec.start_on or source_on)
        return str(term) if term else ""
    return str(spec.start_on.year) if spec.start_on else ""


def complete(spec: MandateSpec, term: str, today: dt.date) -> MandateSpec:
    """Fill what the EP's terms imply: when a list does not give end dates, a mandate of a past
    term ended with that term (a 2014–2019 list gives no one a mandate running today)."""
    if spec.parliament != EUROPEAN_PARLIAMENT or not term.isdigit() or spec.has_end:
        return spec
    _, end = ep_groups.term_dates(int(term))
    out = dataclasses.replace(spec)
    if out.end_on is None and end is not None and end < today:
        out.end_on = end
    return out


def plan(member: Parliamentarian | None, spec: MandateSpec, *, source_on: dt.date, today: dt.date):
    """What a list row would do to the member's mandates, without changing anything:
    ``(mandate or None, term, changes, conflicts)``; changes and conflicts are field → [stored, list]."""
    term = term_of(spec, source_on)
    spec = complete(spec, term, today)
    existing = None
    if member is not None and member.id is not None:
        existing = next((m for m in member.mandates if (m.parliament, m.chamber, m.term)
                         == (spec.parliament, spec.chamber, term)), None)
    wanted = {"start_on": spec.start_on, "end_on": spec.end_on}
    if spec.has_group:
        wanted["political_group"] = spec.political_group
    if existing is None:
        changes = {f"mandate {term or '?'}": [None, _describe(spec)]}
        return None, term, changes, {}, spec
    diffs = {}
    for field, value in wanted.items():
        old = getattr(existing, field)
        if value is None and field in ("start_on", "end_on"):
            continue  # an empty cell never clears a date
        if old != value:
            diffs[f"mandate {term or '?'} {field}"] = [_text(old), _text(value)]
    if existing.source_on and existing.source_on > source_on:
        return existing, term, {}, diffs, spec
    return existing, term, diffs, {}, spec


def apply(member: Parliamentarian, existing: Mandate | None, term: str, spec: MandateSpec, *,
          source_on: dt.date, today: dt.date) -> Mandate:
    """Write what ``plan`` found (call only when it returned no conflicts) and return the
    mandate. For a member not yet in the database (``id`` None: the import inserts new members
    in bulk) the new mandate is returned unattached, for the caller to add once the member has
    an id; the member's summary fields are set from it either way. Flushes nothing."""
    if existing is None:
        existing = Mandate(parliament=spec.parliament, chamber=spec.chamber, term=term)
        if member.id is not None:
            member.mandates.append(existing)
    if spec.start_on is not None:
        existing.start_on = spec.start_on
    if spec.end_on is not None:
        existing.end_on = spec.end_on
    if spec.has_group:
        existing.political_group = spec.political_group
    existing.source_on = max(filter(None, (existing.source_on, source_on)))
    if member.id is None:
        member.mandate_start_on, member.mandate_end_on = existing.start_on, existing.end_on
        member.political_group = existing.political_group
    else:
        refresh_current(member, today)
    return existing


def end(member: Parliamentarian, mandate: Mandate, *, on: dt.date, source_on: dt.date, today: dt.date) -> None:
    """Mark a mandate as ended (a member missing from a newer list)."""
    mandate.end_on = max(on, mandate.start_on) if mandate.start_on else on
    mandate.source_on = max(filter(None, (mandate.source_on, source_on)))
    refresh_current(member, today)


def current(member: Parliamentarian, today: dt.date) -> Mandate | None:
    running = [m for m in member.mandates if m.is_current(today)]
    pool = running or list(member.mandates)
    if not pool:
        return None
    return max(pool, key=lambda m: (m.start_on or dt.date.min, m.id or 0))


def refresh_current(member: Parliamentarian, today: dt.date) -> None:
    """Copy the current mandate (else the latest) into the member's summary fields."""
    m = current(member, today)
    if m is None:
        return
    member.mandate_start_on, member.mandate_end_on = m.start_on, m.end_on
    member.political_group = m.political_group


def record_from_fields(member: Parliamentarian, *, today: dt.date) -> None:
    """The staff form edits the summary fields: carry them into the mandate they describe (the
    latest one, or a new one for a member without mandates). Flushes."""
    latest = current(member, today)
    if latest is None:
        spec = MandateSpec(parliament=member.parliament, chamber=member.chamber, start_on=member.mandate_start_on,
                           end_on=member.mandate_end_on, political_group=member.political_group, has_group=True)
        latest = Mandate(parliament=spec.parliament, chamber=spec.chamber, term=term_of(spec, today))
        member.mandates.append(latest)
    latest.start_on, latest.end_on = member.mandate_start_on, member.mandate_end_on
    latest.political_group = member.political_group
    db.session.flush()


def _text(v):
    return v.isoformat() if isinstance(v, dt.date) else v


def _describe(spec: MandateSpec) -> str:
    span = f"{_text(spec.start_on) or '?'} – {_text(spec.end_on) or 'running'}"
    return f"{spec.parliament}, {span}" + (f", {spec.political_group}" if spec.political_group else "")
