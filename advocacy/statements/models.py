"""Public statements a godparent made for their prisoner."""
from sqlalchemy import Index, text
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class StatementKind(LabelledEnum):
    SPEECH = ("speech", _l("Speech"), lazy_pgettext("in a sentence", "speech"))
    PRESS_RELEASE = ("press_release", _l("Press release"), lazy_pgettext("in a sentence", "press release"))
    SOCIAL_POST = ("social_post", _l("Social media post"), lazy_pgettext("in a sentence", "social media post"))
    PARLIAMENTARY_QUESTION = ("parliamentary_question", _l("Parliamentary question"), lazy_pgettext("in a sentence", "parliamentary question"))
    LETTER_TO_PRISONER = ("letter_to_prisoner", _l("Letter to the prisoner"), lazy_pgettext("in a sentence", "letter to the prisoner"))
    LETTER_TO_AUTHORITIES = ("letter_to_authorities", _l("Letter to the authorities"), lazy_pgettext("in a sentence", "letter to the authorities"))
    MEDIA = ("media", _l("Media interview / article"), lazy_pgettext("in a sentence", "media interview / article"))
    TRIAL_OBSERVATION = ("trial_observation", _l("Trial observation"), lazy_pgettext("in a sentence", "trial observation"))
    OTHER = ("other", _l("Other"), lazy_pgettext("in a sentence", "other"))


class Statement(db.Model):
    __tablename__ = "statements"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    made_on = db.Column(db.Date, nullable=False)
    kind = db.Column(enum_type(StatementKind), nullable=False)
    title = db.Column(db.String(300), nullable=False)
    url = db.Column(db.String(1000))
    summary = db.Column(db.Text)
    language = db.Column(db.String(8))
    is_public = db.Column(db.Boolean, nullable=False, default=True)
    verified_at = db.Column(UTCDateTime)
    verified_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    pairing = db.relationship("Pairing", backref=db.backref("statements", lazy="select", cascade="all, delete-orphan"))
    verified_by = db.relationship("User", foreign_keys=[verified_by_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (
        Index("ix_statements_pairing_id", "pairing_id"),
        # The staff list's sorts and filters (newest first, id breaks ties), and the dashboard's
        # count of statements waiting for verification (a partial index: only those rows).
        Index("ix_statements_made_on_id", "made_on", "id"),
        Index("ix_statements_created_at_id", "created_at", "id"),
        Index("ix_statements_kind_made_on_id", "kind", "made_on", "id"),
        Index("ix_statements_unverified", "made_on", "id", sqlite_where=text("verified_at IS NULL"),
              postgresql_where=text("verified_at IS NULL")),
        # Impact figures: the last statement of a pairing; a period's statements by day, kind, pairing.
        Index("ix_statements_pairing_made_on", "pairing_id", "made_on"),
        Index("ix_statements_made_on_kind_pairing", "made_on", "kind", "pairing_id"),
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
