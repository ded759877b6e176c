"""A pairing: one parliamentarian ("godparent") adopts one prisoner."""
from sqlalchemy import Index, text
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class PairingStatus(LabelledEnum):
    INVITED = ("invited", _l("Invited"), lazy_pgettext("in a sentence", "invited"))
    ACTIVE = ("active", _l("Active"), lazy_pgettext("in a sentence", "active"))
    DECLINED = ("declined", _l("Declined"), lazy_pgettext("in a sentence", "declined"))
    ENDED = ("ended", _l("Ended"), lazy_pgettext("in a sentence", "ended"))


OPEN_STATUSES = (PairingStatus.INVITED, PairingStatus.ACTIVE)


class EndReason(LabelledEnum):
    PRISONER_RELEASED = ("prisoner_released", _l("Prisoner released"))
    PRISONER_DEPORTED = ("prisoner_deported", _l("Prisoner deported on release"))
    PRISONER_DIED = ("prisoner_died", _l("Prisoner died"))
    MANDATE_ENDED = ("mandate_ended", _l("Mandate ended"))
    WITHDREW = ("withdrew", _l("Godparent withdrew"))
    INVITATION_EXPIRED = ("invitation_expired", _l("Invitation expired"))
    OTHER = ("other", _l("Other"))


class Pairing(db.Model):
    __tablename__ = "pairings"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"), nullable=False)
    prisoner_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False)
    status = db.Column(enum_type(PairingStatus), nullable=False, default=PairingStatus.ACTIVE)
    started_on = db.Column(db.Date)
    ended_on = db.Column(db.Date)
    end_reason = db.Column(enum_type(EndReason))
    end_note = db.Column(db.String(500))
    decline_reason = db.Column(db.String(500))
    invited_at = db.Column(UTCDateTime)
    responded_at = db.Column(UTCDateTime)
    #: set when the invitation was reminded once (matching workflow)
    invitation_reminded_at = db.Column(UTCDateTime)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    parliamentarian = db.relationship("Parliamentarian", backref=db.backref("pairings", lazy="select"))
    prisoner = db.relationship("Prisoner", backref=db.backref("pairings", lazy="select"))
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (
        Index("ix_pairings_parliamentarian_id", "parliamentarian_id"),
        Index("ix_pairings_prisoner_id", "prisoner_id"),
        # The staff list's sorts and filters (id breaks ties).
        Index("ix_pairings_status_created_at_id", "status", "created_at", "id"),
        Index("ix_pairings_created_at_id", "created_at", "id"),
        Index("ix_pairings_started_on_id", "started_on", "id"),
        # "Has an active godparent" (dashboard, campaign, matching): only the active rows.
        Index("ix_pairings_active_prisoner", "prisoner_id", sqlite_where=text("status = 'active'"),
              postgresql_where=text("status = 'active'")),
        Index("ix_pairings_active_parliamentarian", "parliamentarian_id", sqlite_where=text("status = 'active'"),
              postgresql_where=text("status = 'active'")),
        # At most one open (invited or active) pairing per pair: enforced by the database.
        Index(
            "uq_pairings_open_pair", "parliamentarian_id", "prisoner_id", unique=True,
            sqlite_where=text("status IN ('invited', 'active')"),
            postgresql_where=text("status IN ('invited', 'active')"),
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __str__(self):
        return f"{self.parliamentarian} ↔ {self.prisoner}"
