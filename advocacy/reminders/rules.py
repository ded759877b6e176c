"""Which dates a pairing has, and when each reminder about them is due. Pure functions."""
import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from advocacy.extensions import db
from advocacy.sql import insert_ignore
from advocacy.prisoners.models import HEARING_KINDS, KeyDateKind
from advocacy.reminders.models import ReminderRule, RuleKind

#: (kind, offset_days, every_days) seeded when no rule exists yet; staff may edit them.
DEFAULT_RULES = [
    (RuleKind.BIRTHDAY, 0, None),
    (RuleKind.BIRTHDAY, -3, None),
    (RuleKind.ARREST_ANNIVERSARY, 0, None),
    (RuleKind.MILESTONE, 0, 500),
    (RuleKind.HEARING, -7, None),
    (RuleKind.HEARING, -1, None),
    (RuleKind.HEARING_FOLLOWUP, 1, None),
    (RuleKind.ADOPTION_ANNIVERSARY, 0, None),
]


def ensure_default_rules() -> None:
    """Seed the default rules once (a no-op when any rule exists; safe when two planners race)."""
    # The staff nudge's rule (seeded by migration, or by the first nudge) is not a planned rule.
    if db.session.scalar(db.select(ReminderRule.id).where(ReminderRule.kind != RuleKind.NUDGE).limit(1)) is not None:
        return
    db.session.execute(insert_ignore(ReminderRule), [
        dict(kind=kind, offset_days=offset, every_days=every, is_active=True, created_at=dt.datetime.now(dt.timezone.utc))
        for kind, offset, every in DEFAULT_RULES])


def yearly_on(day: dt.date, year: int, feb29: str = "feb28") -> dt.date:
    """``day``'s anniversary in ``year``; Feb 29 falls on Feb 28 (or Mar 1) in other years."""
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28) if feb29 == "feb28" else dt.date(year, 3, 1)


def local_instant(day: dt.date, hour: int, tz_name: str) -> dt.datetime:
    """``hour``:00 local time on ``day`` in ``tz_name`` as one definite UTC instant.

    A local time that does not exist (the spring-forward gap) or exists twice (the autumn
    fold) resolves with ``fold=0``: the gap maps to the instant just after the jump (the wall
    clock's pre-transition offset applied), the fold to the first of the two instants.
    """
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(tz_name)).replace(fold=0)
    return local.astimezone(dt.timezone.utc)


@dataclasses.dataclass(frozen=True)
class Occurrence:
    rule: ReminderRule
    source: str  # what the date is: "birthday", "arrest", "kd<id>", "adoption", "milestone"
    occurs_on: dt.date
    key_date_id: int | None = None
    milestone_days: int | None = None

    @property
    def send_on(self) -> dt.date:
        return self.occurs_on + dt.timedelta(days=self.rule.offset_days)


def occurrences(pairing, rules, *, start: dt.date, end: dt.date, feb29: str = "feb28"):
    """Every reminder occurrence of ``pairing`` whose send day falls in [start, end].

    ``pairing.prisoner`` with its ``key_dates`` must be loaded. Why some dates give nothing:
    a birth date known only by its year has no day to remind of; a key date without a full
    date cannot be stored at all (the column is a date).
    """
    prisoner = pairing.prisoner
    out = []
    for rule in rules:
        if not rule.is_active or rule.kind == RuleKind.NUDGE:  # nudges are sent by staff, never planned
            continue
        # The event day that would make this rule's send day fall in the window.
        ev_start, ev_end = start - dt.timedelta(days=rule.offset_days), end - dt.timedelta(days=rule.offset_days)
        if rule.kind in (RuleKind.BIRTHDAY, RuleKind.ARREST_ANNIVERSARY, RuleKind.ADOPTION_ANNIVERSARY):
            base, source = {
                RuleKind.BIRTHDAY: (prisoner.birth_date, "birthday"),
                RuleKind.ARREST_ANNIVERSARY: (prisoner.detained_on, "arrest"),
                RuleKind.ADOPTION_ANNIVERSARY: (pairing.started_on, "adoption"),
            }[rule.kind]
            if base is None:
                continue
            for year in range(ev_start.year, ev_end.year + 1):
                day = yearly_on(base, year, feb29)
                if ev_start <= day <= ev_end and day > base:
                    out.append(Occurrence(rule, source, day))
        elif rule.kind == RuleKind.MILESTONE:
            if prisoner.detained_on is None or not rule.every_days:
                continue
            first = max(1, -(-((ev_start - prisoner.detained_on).days) // rule.every_days))
            n = first
            while True:
                days = n * rule.every_days
                day = prisoner.detained_on + dt.timedelta(days=days)
                if day > ev_end:
                    break
                if day >= ev_start:
                    out.append(Occurrence(rule, "milestone", day, milestone_days=days))
                n += 1
        else:
            wanted = {RuleKind.HEARING: HEARING_KINDS, RuleKind.HEARING_FOLLOWUP: HEARING_KINDS,
                      RuleKind.VERDICT: (KeyDateKind.VERDICT,)}[rule.kind]
            for kd in prisoner.key_dates:
                if kd.kind not in wanted:
                    continue
                days = [kd.occurs_on]
                if kd.is_yearly:
                    days = [yearly_on(kd.occurs_on, y, feb29) for y in range(ev_start.year, ev_end.year + 1)]
                for day in days:
                    if ev_start <= day <= ev_end:
                        out.append(Occurrence(rule, f"kd{kd.id}", day, key_date_id=kd.id))
    return out


def idempotency_key(parliamentarian_id: int, pairing_id: int, occ: Occurrence) -> str:
    """recipient + what date + which occurrence + which rule offset: a moved trial is a new key."""
    return f"r:{parliamentarian_id}:{pairing_id}:{occ.source}:{occ.occurs_on.isoformat()}:{occ.rule.kind.value}{occ.rule.offset_days:+d}"
