"""Reminder rules (data staff can edit), planned reminders, the outbox, and preferences.

A ``Reminder`` is one planned notice of one occurrence of a date to one recipient; its
``idempotency_key`` (recipient, source date, occurrence date, rule) is unique, so planning is
repeatable and safe with several planners. An ``OutboxMessage`` is one email to send (one per
reminder, or one daily digest grouping several); the outbox rows are the only source of truth
for delivery.
"""
from sqlalchemy import Index, UniqueConstraint, text
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db
# The outbox is its own module (every kind of mail goes through it); re-exported for the
# reminder code that predates it.
from advocacy.outbox.models import OutboxKind, OutboxMessage, OutboxStatus  # noqa: F401


class RuleKind(LabelledEnum):
    BIRTHDAY = ("birthday", _l("Birthday"), lazy_pgettext("in a sentence", "birthday"))
    ARREST_ANNIVERSARY = ("arrest_anniversary", _l("Anniversary of the arrest"), lazy_pgettext("in a sentence", "arrest anniversary"))
    MILESTONE = ("milestone", _l("Milestone of days behind bars"), lazy_pgettext("in a sentence", "milestone"))
    HEARING = ("hearing", _l("Trial or appeal hearing"), lazy_pgettext("in a sentence", "hearing"))
    HEARING_FOLLOWUP = ("hearing_followup", _l("After a hearing: did you attend or speak?"), lazy_pgettext("in a sentence", "after-hearing"))
    VERDICT = ("verdict", _l("Verdict"), lazy_pgettext("in a sentence", "verdict"))
    ADOPTION_ANNIVERSARY = ("adoption_anniversary", _l("Anniversary of your adoption"), lazy_pgettext("in a sentence", "adoption anniversary"))
    #: sent by staff by hand (the impact page's one-click reminder to a silent godparent), never planned
    NUDGE = ("nudge", _l("A note from the campaign team"), lazy_pgettext("in a sentence", "campaign team's note"))


class ReminderStatus(LabelledEnum):
    PLANNED = ("planned", _l("Planned"))
    QUEUED = ("queued", _l("Queued in the outbox"))
    SENT = ("sent", _l("Sent"))
    CANCELLED = ("cancelled", _l("Cancelled"))
    SKIPPED = ("skipped", _l("Skipped (missed beyond the grace period)"))
    FAILED = ("failed", _l("Failed: the mail could not be delivered"))


class ReminderRule(db.Model):
    __tablename__ = "reminder_rules"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(enum_type(RuleKind), nullable=False)
    #: days relative to the date: -7 = a week before, 0 = on the day, 1 = the day after
    offset_days = db.Column(db.Integer, nullable=False, default=0)
    #: for milestones: every N days behind bars
    every_days = db.Column(db.Integer)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "offset_days", name="uq_reminder_rules_kind_offset"),)

    @property
    def label(self) -> str:
        from flask_babel import gettext, ngettext

        n = self.offset_days
        when = (gettext("on the day") if n == 0 else
                ngettext("%(num)s day(s) before", "%(num)s day(s) before", -n) if n < 0 else
                ngettext("%(num)s day(s) after", "%(num)s day(s) after", n))
        if self.kind == RuleKind.MILESTONE and self.every_days:
            return ngettext("%(kind)s: %(when)s, every %(num)s days", "%(kind)s: %(when)s, every %(num)s days",
                            self.every_days, kind=self.kind.label, when=when)
        return gettext("%(kind)s: %(when)s", kind=self.kind.label, when=when)


class Reminder(db.Model):
    __tablename__ = "reminders"

    id = db.Column(db.Integer, primary_key=True)
    idempotency_key = db.Column(db.String(200), nullable=False, unique=True)
    rule_id = db.Column(db.Integer, db.ForeignKey("reminder_rules.id", ondelete="CASCADE"), nullable=False)
    kind = db.Column(enum_type(RuleKind), nullable=False)
    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"), nullable=False)
    prisoner_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False)
    key_date_id = db.Column(db.Integer, db.ForeignKey("key_dates.id", ondelete="SET NULL"))
    #: the date the reminder is about (the birthday, the hearing day…)
    occurs_on = db.Column(db.Date, nullable=False)
    #: the local day the mail should arrive, and the instant that is in UTC
    send_on = db.Column(db.Date, nullable=False)
    due_at = db.Column(UTCDateTime, nullable=False)
    milestone_days = db.Column(db.Integer)
    status = db.Column(enum_type(ReminderStatus), nullable=False, default=ReminderStatus.PLANNED)
    status_reason = db.Column(db.String(300))
    #: the outbox message carrying this reminder (its idempotency key: known before insert,
    #: so planning needs no lookup of generated ids)
    outbox_key = db.Column(db.String(200), db.ForeignKey("outbox_messages.idempotency_key", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    rule = db.relationship("ReminderRule")
    pairing = db.relationship("Pairing")
    parliamentarian = db.relationship("Parliamentarian")
    prisoner = db.relationship("Prisoner")
    key_date = db.relationship("KeyDate")
    outbox_message = db.relationship("OutboxMessage", back_populates="reminders")

    __table_args__ = (
        Index("ix_reminders_due_open", "due_at",
              sqlite_where=text("status IN ('planned', 'queued')"),
              postgresql_where=text("status IN ('planned', 'queued')")),
        Index("ix_reminders_pairing_id", "pairing_id"),
        Index("ix_reminders_outbox_key", "outbox_key"),
        Index("ix_reminders_key_date_id", "key_date_id"),
        Index("ix_reminders_send_on", "send_on"),
    )


class ReminderPreference(db.Model):
    __tablename__ = "reminder_preferences"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"),
                                   nullable=False, unique=True)
    #: comma-separated RuleKind values the recipient does NOT want
    disabled_kinds = db.Column(db.String(300), nullable=False, default="")
    is_digest = db.Column(db.Boolean, nullable=False, default=False)
    is_unsubscribed = db.Column(db.Boolean, nullable=False, default=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    parliamentarian = db.relationship("Parliamentarian", backref=db.backref("reminder_preference", uselist=False))

    def wants(self, kind: RuleKind) -> bool:
        return not self.is_unsubscribed and kind.value not in self.disabled_kinds.split(",")


class ReminderPlanState(db.Model):
    """What the planner last derived for one active pairing: a fingerprint of everything that
    decides its reminders (dates, statuses, address, time zone, preferences, rules) and the last
    send day planned. Lets a re-plan skip unchanged pairings and plan only the days that entered
    the look-ahead window. Losing these rows is harmless: the next plan re-derives everything."""

    __tablename__ = "reminder_plan_states"

    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id", ondelete="CASCADE"), primary_key=True)
    fingerprint = db.Column(db.String(64), nullable=False)
    planned_through = db.Column(db.Date, nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
