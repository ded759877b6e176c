"""The one outbox: every email the service sends is a row here before it leaves.

A row has a ``kind``. Reminder rows (single or digest) carry planned reminders and are worded
when they are sent; every other kind is rendered when it is queued and its text is stored
(``body_text``/``body_html``/``headers``), so a retry sends the same mail. Rows that carry a
secret link (sign-in, password reset, account invitation) have their stored body cleared once
they are sent.

Claims: a sender marks the rows it takes ``sending`` with its own ``claim_token`` and a lease
(``claimed_until``). Every later write by that sender is conditional on the token, so a sender
whose claim was taken after its lease expired can neither send nor finish the row.
"""
from flask_babel import gettext as _
from sqlalchemy import Index, text
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class OutboxKind(LabelledEnum):
    REMINDER = ("reminder", _l("Reminder"))
    INVITATION = ("invitation", _l("Invitation to adopt"))
    INVITATION_REMINDER = ("invitation_reminder", _l("Reminder of an open invitation"))
    RELEASE_THANKS = ("release_thanks", _l("Thanks after a release"))
    CONDOLENCE = ("condolence", _l("Condolence after a death"))
    PAIRING_ENDED = ("pairing_ended", _l("Notice that an adoption ended"))
    HANDOVER = ("handover", _l("Handover at the end of a mandate"))
    ACCOUNT_INVITE = ("account_invite", _l("Account invitation"))
    SIGN_IN_LINK = ("sign_in_link", _l("Sign-in link"))
    PASSWORD_RESET = ("password_reset", _l("Password reset"))
    NUDGE = ("nudge", _l("Reminder from staff"))

    @property
    def carries_secret(self) -> bool:
        return self in (OutboxKind.ACCOUNT_INVITE, OutboxKind.SIGN_IN_LINK, OutboxKind.PASSWORD_RESET)


class OutboxStatus(LabelledEnum):
    PENDING = ("pending", _l("Pending"), lazy_pgettext("in a sentence", "pending"))
    SENDING = ("sending", _l("Sending"), lazy_pgettext("in a sentence", "sending"))
    SENT = ("sent", _l("Sent"), lazy_pgettext("in a sentence", "sent"))
    FAILED = ("failed", _l("Failed"), lazy_pgettext("in a sentence", "failed"))
    CANCELLED = ("cancelled", _l("Cancelled"), lazy_pgettext("in a sentence", "cancelled"))
    SKIPPED = ("skipped", _l("Skipped"), lazy_pgettext("in a sentence", "skipped"))


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id = db.Column(db.Integer, primary_key=True)
    idempotency_key = db.Column(db.String(200), nullable=False, unique=True)
    kind = db.Column(enum_type(OutboxKind), nullable=False, default=OutboxKind.REMINDER,
                     server_default=OutboxKind.REMINDER.value)
    #: who it is for: a parliamentarian (with or without an account) or a user
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"))
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"))
    #: the pairing a message is about (invitation, thanks…), shown on the pairing page
    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id", ondelete="SET NULL"))
    recipient = db.Column(db.String(254), nullable=False)
    recipient_name = db.Column(db.String(300))
    is_digest = db.Column(db.Boolean, nullable=False, default=False)
    status = db.Column(enum_type(OutboxStatus), nullable=False, default=OutboxStatus.PENDING)
    due_at = db.Column(UTCDateTime, nullable=False)
    next_attempt_at = db.Column(UTCDateTime, nullable=False)
    claimed_until = db.Column(UTCDateTime)
    claim_token = db.Column(db.String(40))
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text)
    #: one Message-ID for the life of the message: a resend after a lost reply is the same mail
    message_id = db.Column(db.String(250), nullable=False)
    is_late = db.Column(db.Boolean, nullable=False, default=False)
    sent_at = db.Column(UTCDateTime)
    subject = db.Column(db.String(300))
    body_text = db.Column(db.Text)
    body_html = db.Column(db.Text)
    headers = db.Column(db.JSON)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    parliamentarian = db.relationship("Parliamentarian")
    user = db.relationship("User")
    pairing = db.relationship("Pairing")
    reminders = db.relationship("Reminder", back_populates="outbox_message", order_by="Reminder.occurs_on")

    __table_args__ = (
        # The sender's hot path: unsent messages by time.
        Index("ix_outbox_unsent_due", "next_attempt_at",
              sqlite_where=text("status IN ('pending', 'sending')"),
              postgresql_where=text("status IN ('pending', 'sending')")),
        Index("ix_outbox_messages_status", "status"),
        Index("ix_outbox_messages_parliamentarian_id", "parliamentarian_id"),
        # Partial: most rows are reminder mail with none of these set, and the planner inserts
        # tens of thousands of them; an index entry for each would slow every plan.
        Index("ix_outbox_messages_user_id", "user_id",
              sqlite_where=text("user_id IS NOT NULL"), postgresql_where=text("user_id IS NOT NULL")),
        Index("ix_outbox_messages_pairing_id", "pairing_id",
              sqlite_where=text("pairing_id IS NOT NULL"), postgresql_where=text("pairing_id IS NOT NULL")),
        Index("ix_outbox_messages_claim_token", "claim_token",
              sqlite_where=text("claim_token IS NOT NULL"), postgresql_where=text("claim_token IS NOT NULL")),
        Index("ix_outbox_messages_kind", "kind", "parliamentarian_id",
              sqlite_where=text("kind <> 'reminder'"), postgresql_where=text("kind <> 'reminder'")),
    )

    @property
    def label(self) -> str:
        if self.kind == OutboxKind.REMINDER:
            return _("Reminder digest") if self.is_digest else _("Reminder")
        return self.kind.label
