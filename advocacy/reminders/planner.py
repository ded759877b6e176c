"""plan(now): make the reminder rows and outbox messages match what the pairings call for.

Incremental. Each active pairing keeps a fingerprint of everything that decides its reminders
(its dates, statuses, address and time zone, the recipient's preferences, the rules, the
planning settings) and the last day planned (``ReminderPlanState``). A plan:

* re-derives a pairing whose fingerprint changed (or that has none) over the whole window and
  reconciles its rows with what it should have: inserts what is missing, cancels unsent
  reminders that no longer hold, brings back cancelled ones that hold again (revival) if still
  in the future, and moves unsent reminders to the outbox message the digest choice calls for;
* for an unchanged pairing, only plans the days that entered the look-ahead window;
* does nothing else: a re-plan with nothing new reads a few narrow queries and writes nothing.

Safe to run twice, or in two processes at once: on PostgreSQL planners take turns on an
advisory lock; every row has a unique idempotency key and is inserted with ``INSERT … ON
CONFLICT DO NOTHING``; outbox messages a reminder joins or leaves are locked (``FOR UPDATE``)
so a sender cannot claim one half-changed, and a message that went out (or is going out) is
never joined: a late reminder gets the next message (``…#2``).

The one rule table for "may this reminder go out" is :func:`refusal`; delivery asks it again
at send time through :func:`skip_reason`.
"""
import dataclasses
import datetime as dt
import hashlib
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import delete, exists, func, select, text, update

from advocacy.extensions import db
from advocacy.mail import sender_domain
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import HEARING_KINDS, IN_CUSTODY, KeyDate, KeyDateKind, Prisoner
from advocacy.reminders import reasons
from advocacy.reminders import rules as R
from advocacy.sql import insert_ignore_rows
from advocacy.reminders.models import (
    OutboxMessage, OutboxStatus, Reminder, ReminderPlanState, ReminderPreference, ReminderRule, ReminderStatus,
    RuleKind,
)

KEY_DATE_KINDS = (RuleKind.HEARING, RuleKind.HEARING_FOLLOWUP, RuleKind.VERDICT)
PLANNED_KEY_DATE_KINDS = (*HEARING_KINDS, KeyDateKind.VERDICT)
OPEN = (ReminderStatus.PLANNED, ReminderStatus.QUEUED)
#: a reminder stays where it is while its message is one of these (not yet handed to a sender)
KEEPABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)
#: a new, revived or moved reminder may join a message in these states (a cancelled one comes back)
JOINABLE = (OutboxStatus.PENDING, OutboxStatus.CANCELLED)
#: advisory lock id: planners take turns (jobs.run_plan tries it first and skips when busy)
PLAN_LOCK = 8_172_026
GRACE_REASON = "missed by more than the grace period (the scheduler was down)"
CHUNK = 1000


def _preferences() -> dict[int, ReminderPreference]:
    return {p.parliamentarian_id: p for p in db.session.scalars(select(ReminderPreference))}


def refusal(*, pairing_status, prisoner_status, email, pref: ReminderPreference | None, kind) -> str | None:
    """Why a reminder must not go out (None: it may). The one rule table, used by the planner
    and, at send time, by delivery."""
    if pairing_status != PairingStatus.ACTIVE:
        return "the pairing is no longer active"
    if prisoner_status not in IN_CUSTODY:
        return reasons.PRISONER_GONE[prisoner_status]
    if not email:
        return "the parliamentarian has no email address"
    if pref is not None and pref.is_unsubscribed:
        return "the recipient unsubscribed"
    if pref is not None and not pref.wants(kind):
        return reasons.UNWANTED[kind]
    return None


def skip_reason(pairing: Pairing, pref: ReminderPreference | None, kind) -> str | None:
    """:func:`refusal` for a loaded ``Pairing``."""
    return refusal(pairing_status=pairing.status, prisoner_status=pairing.prisoner.status,
                   email=pairing.parliamentarian.email, pref=pref, kind=kind)


# -- the facts planning depends on, read in a few narrow queries -------------------------------
@dataclasses.dataclass(frozen=True)
class _Rule:
    id: int
    kind: RuleKind
    offset_days: int
    every_days: int | None
    is_active: bool


@dataclasses.dataclass
class _KeyDate:
    id: int
    kind: KeyDateKind
    occurs_on: dt.date
    is_yearly: bool


@dataclasses.dataclass
class _Prisoner:
    birth_date: dt.date | None
    detained_on: dt.date | None
    status: object
    key_dates: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Pairing:
    """What ``rules.occurrences`` and :func:`refusal` read of a pairing, without the ORM."""
    id: int
    status: PairingStatus
    started_on: dt.date | None
    created_at: dt.datetime | None
    parliamentarian_id: int
    prisoner_id: int
    email: str | None
    time_zone: str
    prisoner: _Prisoner


def _load_facts() -> dict[int, _Pairing]:
    """Active pairings, and any pairing the planner planned before (it may have ended since)."""
    wanted = (Pairing.status == PairingStatus.ACTIVE) | Pairing.id.in_(select(ReminderPlanState.pairing_id))
    rows = db.session.execute(
        select(Pairing.id, Pairing.status, Pairing.started_on, Pairing.created_at, Pairing.parliamentarian_id,
               Pairing.prisoner_id, Parliamentarian.email, Parliamentarian.time_zone,
               Prisoner.birth_date, Prisoner.detained_on, Prisoner.status.label("prisoner_status"))
        .join(Parliamentarian, Parliamentarian.id == Pairing.parliamentarian_id)
        .join(Prisoner, Prisoner.id == Pairing.prisoner_id)
        .where(wanted).order_by(Pairing.id))
    prisoners: dict[int, _Prisoner] = {}
    facts = {}
    for r in rows:
        prisoner = prisoners.get(r.prisoner_id)
        if prisoner is None:
            prisoner = prisoners[r.prisoner_id] = _Prisoner(r.birth_date, r.detained_on, r.prisoner_status)
        facts[r.id] = _Pairing(r.id, r.status, r.started_on, r.created_at, r.parliamentarian_id, r.prisoner_id,
                               r.email, r.time_zone, prisoner)
    if prisoners:
        kds = db.session.execute(
            select(KeyDate.id, KeyDate.prisoner_id, KeyDate.kind, KeyDate.occurs_on, KeyDate.is_yearly)
            .where(KeyDate.kind.in_(PLANNED_KEY_DATE_KINDS),
                   KeyDate.prisoner_id.in_(select(Pairing.prisoner_id).where(wanted)))
            .order_by(KeyDate.id))
        for k in kds:
            if k.prisoner_id in prisoners:
                prisoners[k.prisoner_id].key_dates.append(_KeyDate(k.id, k.kind, k.occurs_on, k.is_yearly))
    return facts


def _fingerprint(common: str, f: _Pairing, pref: ReminderPreference | None) -> str:
    p = f.prisoner
    parts = (common, f.status.value, f.started_on, f.created_at, f.parliamentarian_id, f.prisoner_id, f.email,
             f.time_zone, p.birth_date, p.detained_on, p.status.value,
             [(k.id, k.kind.value, k.occurs_on, k.is_yearly) for k in p.key_dates],
             (pref.is_unsubscribed, pref.is_digest, pref.disabled_kinds) if pref is not None else None)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _serialize_planners() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PLAN_LOCK})


def _chunks(items, n=CHUNK):
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i:i + n]


def plan(now: dt.datetime) -> dict:
    """Plan reminders due from ``now - grace`` (and a look-back, to record older misses as
    skipped) to ``now + lookahead``, and reconcile what changed. Idempotent. Flushes; the caller
    commits (one transaction)."""
    cfg = current_app.config
    _serialize_planners()
    R.ensure_default_rules()
    # Plain snapshots: occurrences() reads them ~100,000 times in a full plan (ORM attributes cost).
    rules = [_Rule(r.id, r.kind, r.offset_days, r.every_days, r.is_active) for r in db.session.scalars(
        select(ReminderRule).where(ReminderRule.is_active.is_(True)).order_by(ReminderRule.id))]
    grace = dt.timedelta(hours=cfg["REMINDER_GRACE_HOURS"])
    start = (now - grace).date() - dt.timedelta(days=cfg.get("REMINDER_LOOKBACK_DAYS", 7))
    end = now.date() + dt.timedelta(days=cfg["REMINDER_LOOKAHEAD_DAYS"])
    prefs = _preferences()
    facts = _load_facts()
    states = {pid: (fp, through) for pid, fp, through in db.session.execute(
        select(ReminderPlanState.pairing_id, ReminderPlanState.fingerprint, ReminderPlanState.planned_through))}
    common = repr(([(r.id, r.kind.value, r.offset_days, r.every_days) for r in rules],
                   cfg["REMINDER_LOCAL_HOUR"], cfg["FEB29_POLICY"]))

    whole, ahead, prints = [], [], {}
    for f in facts.values():
        fp = prints[f.id] = _fingerprint(common, f, prefs.get(f.parliamentarian_id))
        state = states.get(f.id)
        if state is None or state[0] != fp:
            whole.append(f)
        elif state[1] < end:
            ahead.append((f, max(state[1] + dt.timedelta(days=1), start)))

    stats = {"pairings": len(facts), "replanned": len(whole), "extended": len(ahead),
             "created": 0, "cancelled": 0, "revived": 0, "moved": 0, "skipped": 0}
    if whole or ahead:
        _Reconcile(now, start, end, grace, rules, prefs, cfg).run(whole, ahead, stats)
        _save_states(whole, ahead, prints, end, now)
    db.session.flush()
    return stats


def _save_states(whole, ahead, prints, end, now) -> None:
    for chunk in _chunks([f.id for f in whole]):
        db.session.execute(delete(ReminderPlanState).where(ReminderPlanState.pairing_id.in_(chunk)))
    # A pairing no longer active keeps no state: it is not read again unless it becomes active.
    keep = [dict(pairing_id=f.id, fingerprint=prints[f.id], planned_through=end, updated_at=now)
            for f in whole if f.status == PairingStatus.ACTIVE]
    insert_ignore_rows(ReminderPlanState, keep)
    for chunk in _chunks([f.id for f, _ in ahead]):
        db.session.execute(update(ReminderPlanState).where(ReminderPlanState.pairing_id.in_(chunk))
                           .values(planned_through=end, updated_at=now))


@dataclasses.dataclass
class _Want:
    """A reminder a pairing should have."""
    key: str
    row: dict
    base: str  # the outbox message it belongs in, before any ``#n`` for a message already sent
    facts: _Pairing


class _Reconcile:
    def __init__(self, now, start, end, grace, rules, prefs, cfg):
        self.now, self.start, self.end, self.grace = now, start, end, grace
        self.rules, self.prefs = rules, prefs
        self.rules_by_id = {r.id: r for r in rules}
        self.hour, self.feb29 = cfg["REMINDER_LOCAL_HOUR"], cfg["FEB29_POLICY"]
        self._instants = {}

    def _due(self, day, tz):
        due = self._instants.get((day, tz))
        if due is None:
            due = self._instants[(day, tz)] = R.local_instant(day, self.hour, tz)
        return due

    # -- what is there ---------------------------------------------------------------------
    def _existing(self, whole, ahead):
        cols = select(Reminder.id, Reminder.idempotency_key, Reminder.pairing_id, Reminder.status,
                      Reminder.status_reason, Reminder.outbox_key, Reminder.send_on, Reminder.occurs_on, Reminder.due_at, Reminder.kind,
                      Reminder.rule_id, Reminder.key_date_id)
        rows = []
        for chunk in _chunks([f.id for f in whole]):
            rows += db.session.execute(cols.where(Reminder.pairing_id.in_(chunk), Reminder.send_on >= self.start)).all()
        if ahead:
            since = {f.id: frm for f, frm in ahead}
            rows += [r for r in db.session.execute(cols.where(Reminder.send_on >= min(since.values())))
                     if r.pairing_id in since and r.send_on >= since[r.pairing_id]]
        return rows

    @staticmethod
    def _outbox_status(keys) -> dict[str, OutboxStatus]:
        """Status of these outbox messages, locked until commit on PostgreSQL (a sender's claim
        skips them meanwhile; one it already claimed shows as sending)."""
        found = {}
        for chunk in _chunks(sorted(keys)):
            stmt = (select(OutboxMessage.idempotency_key, OutboxMessage.status)
                    .where(OutboxMessage.idempotency_key.in_(chunk)).order_by(OutboxMessage.idempotency_key))
            if db.session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update()
            found.update(db.session.execute(stmt).all())
        return found

    # -- what should be there --------------------------------------------------------------
    def _wanted(self, pairings_and_ranges):
        wants, refused = {}, {}
        for f, lo, hi in pairings_and_ranges:
            pref = self.prefs.get(f.parliamentarian_id)
            digest = pref is not None and pref.is_digest
            for occ in R.occurrences(f, self.rules, start=lo, end=hi, feb29=self.feb29):
                key = R.idempotency_key(f.parliamentarian_id, f.id, occ)
                reason = refusal(pairing_status=f.status, prisoner_status=f.prisoner.status, email=f.email,
                                 pref=pref, kind=occ.rule.kind)
                due = self._due(occ.send_on, f.time_zone)
                if reason is None and f.created_at and due < f.created_at:
                    reason = "the date came before the adoption"
                if reason:
                    refused[key] = reason
                    continue
                wants[key] = _Want(key, dict(
                    idempotency_key=key, rule_id=occ.rule.id, kind=occ.rule.kind, pairing_id=f.id,
                    parliamentarian_id=f.parliamentarian_id, prisoner_id=f.prisoner_id, key_date_id=occ.key_date_id,
                    occurs_on=occ.occurs_on, send_on=occ.send_on, due_at=due, milestone_days=occ.milestone_days,
                    created_at=self.now), f"d:{f.parliamentarian_id}:{occ.send_on.isoformat()}" if digest else "o:" + key, f)
        return wants, refused

    def _gone_reason(self, row, facts) -> str:
        """Why an unsent reminder is no longer called for, when no rule refused it."""
        rule = self.rules_by_id.get(row.rule_id)
        if rule is None or rule.offset_days != (row.send_on - row.occurs_on).days:
            return "the rule was turned off or changed"
        if row.kind in KEY_DATE_KINDS:
            kd = next((k for k in facts.prisoner.key_dates if k.id == row.key_date_id), None) if facts else None
            return "the date was deleted" if kd is None else "the date moved"
        return "the date moved"

    # -- make it so ------------------------------------------------------------------------
    def run(self, whole, ahead, stats):
        existing = self._existing(whole, ahead)
        by_pairing_end = {}
        for r in existing:
            by_pairing_end[r.pairing_id] = max(by_pairing_end.get(r.pairing_id, self.end), r.send_on)
        ranges = [(f, self.start, by_pairing_end.get(f.id, self.end)) for f in whole]
        ranges += [(f, frm, self.end) for f, frm in ahead]
        facts = {f.id: f for f, _, _ in ranges}
        wants, refused = self._wanted(ranges)

        status = self._outbox_status({r.outbox_key for r in existing if r.status in OPEN and r.outbox_key})
        now, late = self.now, self.now - self.grace
        rows = {r.idempotency_key: r for r in existing}
        inserts, changes, place = [], [], []  # place: (want, existing row or None, "created"/"moved"/"revived")
        left, retimed = set(), {}  # messages reminders left; kept messages whose time moved (time zone changed)

        def change(row, status_, reason, outbox_key, due_at=None):
            changes.append(dict(id=row.id, status=status_, status_reason=reason, outbox_key=outbox_key,
                                due_at=due_at or row.due_at))
            if row.outbox_key:
                left.add(row.outbox_key)  # cancelled below if it carries no reminder any more

        for key, want in wants.items():
            row = rows.get(key)
            due = want.row["due_at"]
            if row is None:
                if due < late:
                    inserts.append(dict(want.row, status=ReminderStatus.SKIPPED, status_reason=GRACE_REASON, outbox_key=None))
                    stats["skipped"] += 1
                else:
                    place.append((want, None, "created"))
            elif row.status in OPEN:
                st = status.get(row.outbox_key)
                if st == OutboxStatus.SENDING:
                    continue  # a sender has it
                if st in KEEPABLE and row.outbox_key.split("#")[0] == want.base:
                    if row.due_at != due:  # same day, another hour: the time zone changed
                        change(row, row.status, row.status_reason, row.outbox_key, due)
                        retimed[row.outbox_key] = min(retimed.get(row.outbox_key, due), due)
                    continue
                if row.due_at < late:
                    change(row, ReminderStatus.SKIPPED, GRACE_REASON, row.outbox_key)
                    stats["skipped"] += 1
                else:
                    place.append((want, row, "moved"))
            elif row.status == ReminderStatus.CANCELLED and row.due_at > now:
                place.append((want, row, "revived"))
        for row in existing:
            if row.status not in OPEN or row.idempotency_key in wants or status.get(row.outbox_key) == OutboxStatus.SENDING:
                continue
            reason = refused.get(row.idempotency_key) or self._gone_reason(row, facts.get(row.pairing_id))
            change(row, ReminderStatus.CANCELLED, reason, row.outbox_key)
            stats["cancelled"] += 1

        chosen, new_messages, revive_messages = self._choose_messages(place)
        for want, row, how in place:
            key = chosen[want.base]
            if row is None:
                inserts.append(dict(want.row, status=ReminderStatus.QUEUED, status_reason=None, outbox_key=key))
            else:
                change(row, ReminderStatus.QUEUED, None, key, want.row["due_at"])
            stats[how] += 1

        insert_ignore_rows(OutboxMessage, list(new_messages.values()), order_by="idempotency_key")
        for key, due in sorted(revive_messages.items()):
            db.session.execute(update(OutboxMessage).where(
                OutboxMessage.idempotency_key == key, OutboxMessage.status == OutboxStatus.CANCELLED).values(
                status=OutboxStatus.PENDING, due_at=due, next_attempt_at=due, attempts=0, claimed_until=None,
                last_error=None, is_late=False))
        for key, due in sorted(retimed.items()):
            db.session.execute(update(OutboxMessage).where(
                OutboxMessage.idempotency_key == key, OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.attempts == 0).values(due_at=due, next_attempt_at=due))
        if inserts:
            before = db.session.scalar(select(func.count(Reminder.id)))
            insert_ignore_rows(Reminder, inserts, order_by="idempotency_key")
            stats["created"] = db.session.scalar(select(func.count(Reminder.id))) - before
        if changes:
            db.session.execute(update(Reminder), sorted(changes, key=lambda c: c["id"]))
        self._cancel_empty(left)
        self._readdress({f.parliamentarian_id for f in whole})
        db.session.expire_all()

    @staticmethod
    def _readdress(parliamentarian_ids) -> None:
        """Their unsent messages go to the recipient's current address (it may have been corrected)."""
        for chunk in _chunks(sorted(parliamentarian_ids)):
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.parliamentarian_id == Parliamentarian.id, Parliamentarian.id.in_(chunk),
                       OutboxMessage.status.in_(KEEPABLE), Parliamentarian.email.is_not(None),
                       Parliamentarian.email != "", OutboxMessage.recipient != Parliamentarian.email)
                .values(recipient=Parliamentarian.email).execution_options(synchronize_session=False))

    def _choose_messages(self, place):
        """The outbox message each placed reminder joins: its base key, or ``base#2``, ``#3``…
        when that one was sent, is going out, was skipped or failed. Returns (base -> key,
        messages to insert, cancelled messages to revive with their due time)."""
        due_of, sample = {}, {}
        for want, _, _ in place:
            due = want.row["due_at"]
            due_of[want.base] = min(due_of.get(want.base, due), due)
            sample.setdefault(want.base, want)
        if not due_of:
            return {}, {}, {}
        # Every message a placed reminder could join is its recipient's, due that day: read them
        # (locked) by recipient and time rather than key by key.
        status = self._outbox_of({w.facts.parliamentarian_id for w in sample.values()},
                                 since=min(due_of.values()) - dt.timedelta(days=1))
        chosen = {}
        for base in due_of:
            key, n = base, 1
            while status.get(key) not in (None, *JOINABLE):
                n += 1
                key = f"{base}#{n}"
            chosen[base] = key
        # make_msgid as mail.new_message_id does, with the sender's domain parsed once per plan
        domain = sender_domain()
        new, revive = {}, {}
        for base, key in chosen.items():
            st, f = status.get(key), sample[base].facts
            if st is None:
                new[key] = dict(idempotency_key=key, parliamentarian_id=f.parliamentarian_id, recipient=f.email,
                                is_digest=key.startswith("d:"), status=OutboxStatus.PENDING, due_at=due_of[base],
                                next_attempt_at=due_of[base], attempts=0, message_id=make_msgid(domain=domain),
                                created_at=self.now)
            elif st == OutboxStatus.CANCELLED:
                revive[key] = due_of[base]
        return chosen, new, revive

    @staticmethod
    def _outbox_of(parliamentarian_ids, since) -> dict[str, OutboxStatus]:
        """Status of these recipients' outbox messages due from ``since`` on, locked until commit
        on PostgreSQL (see :meth:`_outbox_status`)."""
        found = {}
        for chunk in _chunks(sorted(parliamentarian_ids)):
            stmt = (select(OutboxMessage.idempotency_key, OutboxMessage.status)
                    .where(OutboxMessage.parliamentarian_id.in_(chunk), OutboxMessage.due_at >= since)
                    .order_by(OutboxMessage.idempotency_key))
            if db.session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update()
            found.update(db.session.execute(stmt).all())
        return found

    @staticmethod
    def _cancel_empty(keys) -> None:
        """Cancel unsent messages left without a reminder to carry."""
        carried = exists().where(Reminder.outbox_key == OutboxMessage.idempotency_key, Reminder.status.in_(OPEN))
        for chunk in _chunks(sorted(keys)):
            db.session.execute(update(OutboxMessage).where(
                OutboxMessage.idempotency_key.in_(chunk), OutboxMessage.status.in_(KEEPABLE), ~carried)
                .values(status=OutboxStatus.CANCELLED))
