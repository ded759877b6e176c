"""Parliamentarians: MEPs and members of national parliaments (lower and upper houses)."""
import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db
from advocacy.text import fold, split_csv

EUROPEAN_PARLIAMENT = "European Parliament"


class Chamber(LabelledEnum):
    SINGLE = ("single", _l("Single chamber / European Parliament"), lazy_pgettext("in a sentence", "single chamber"))
    LOWER = ("lower", _l("Lower house"), lazy_pgettext("in a sentence", "lower house"))
    UPPER = ("upper", _l("Upper house"), lazy_pgettext("in a sentence", "upper house"))


class Parliamentarian(db.Model):
    __tablename__ = "parliamentarians"
    __audited__ = True
    #: typed spellings; changing one rebuilds the searchable variants (advocacy.names)
    __name_fields__ = ("full_name",)

    id = db.Column(db.Integer, primary_key=True)
    full_name = db.Column(db.String(200), nullable=False)
    search_text = db.Column(db.String(400), nullable=False, default="")
    parliament = db.Column(db.String(120), nullable=False, default=EUROPEAN_PARLIAMENT)
    chamber = db.Column(enum_type(Chamber), nullable=False, default=Chamber.SINGLE)
    country = db.Column(db.String(2), nullable=False)  # ISO 3166-1 alpha-2
    political_group = db.Column(db.String(120))  # EP group (EPP, S&D, Renew, …) or national faction
    national_party = db.Column(db.String(200))
    email = db.Column(db.String(254))
    languages = db.Column(db.String(100), nullable=False, default="")  # ISO 639-1, comma separated
    committees = db.Column(db.Text, nullable=False, default="")  # comma separated
    time_zone = db.Column(db.String(64), nullable=False, default="Europe/Brussels")  # IANA
    #: the language of their mail (en, de, fr, pl, lt), account or not; null: their country's
    #: language (advocacy.i18n.parliamentarian_locale)
    locale = db.Column(db.String(8), nullable=True)
    external_id = db.Column(db.String(64))  # e.g. the EP's MEP id
    #: the current (else the latest) mandate, copied from ``mandates`` by
    #: ``advocacy.parliamentarians.mandates.refresh_current``: lists and filters read these
    mandate_start_on = db.Column(db.Date)
    mandate_end_on = db.Column(db.Date)
    #: date of the newest list that set this member's details: an older list changes nothing
    listed_on = db.Column(db.Date)
    is_archived = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    name_variants = db.relationship("NameVariant", cascade="all, delete-orphan")
    mandates = db.relationship("Mandate", back_populates="parliamentarian", cascade="all, delete-orphan",
                               order_by="Mandate.start_on")

    __table_args__ = (
        UniqueConstraint("parliament", "external_id", name="uq_parliamentarians_parliament_external_id"),
        Index("ix_parliamentarians_full_name", "full_name"),
        Index("ix_parliamentarians_country", "country"),
        Index("ix_parliamentarians_group", "political_group"),
        Index("ix_parliamentarians_mandate_end_on", "mandate_end_on"),
        Index("ix_parliamentarians_email", "email"),
    )

    def __str__(self):
        return self.full_name

    @property
    def spellings(self) -> list[str]:
        return [self.full_name] if self.full_name else []

    @property
    def language_list(self) -> list[str]:
        return split_csv(self.languages)

    @property
    def committee_list(self) -> list[str]:
        return split_csv(self.committees)

    def mandate_ended(self, today: dt.date) -> bool:
        return self.mandate_end_on is not None and self.mandate_end_on < today

    def has_current_mandate(self, today: dt.date) -> bool:
        return not self.mandate_ended(today) and (self.mandate_start_on is None or self.mandate_start_on <= today)

    @classmethod
    def current_mandate_clause(cls, today: dt.date):
        """SQL: the member sits today (the one definition used by lists, matching and handover)."""
        return (((cls.mandate_end_on.is_(None)) | (cls.mandate_end_on >= today))
                & ((cls.mandate_start_on.is_(None)) | (cls.mandate_start_on <= today)))

    def refresh_search_text(self) -> None:
        self.search_text = fold(self.full_name)


@db.event.listens_for(Parliamentarian, "before_insert")
@db.event.listens_for(Parliamentarian, "before_update")
def _parl_before_save(mapper, connection, target):
    target.refresh_search_text()
    if target.email:
        target.email = target.email.strip().lower()


class Mandate(db.Model):
    """One term of one member in one parliament and chamber, with the group at the time.

    ``term`` tells the terms apart ("9", "10" for the EP; the start year elsewhere, "" when not
    known). ``source_on`` is the date of the list that last set it: an older list never changes
    it (the import shows the difference as a conflict instead)."""

    __tablename__ = "mandates"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"),
                                   nullable=False)
    parliament = db.Column(db.String(120), nullable=False, default=EUROPEAN_PARLIAMENT)
    chamber = db.Column(enum_type(Chamber), nullable=False, default=Chamber.SINGLE)
    term = db.Column(db.String(20), nullable=False, default="")
    start_on = db.Column(db.Date)
    end_on = db.Column(db.Date)
    political_group = db.Column(db.String(120))
    source_on = db.Column(db.Date)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    parliamentarian = db.relationship("Parliamentarian", back_populates="mandates")

    __table_args__ = (
        UniqueConstraint("parliamentarian_id", "parliament", "chamber", "term", name="uq_mandates_member_term"),
        Index("ix_mandates_parliamentarian_id", "parliamentarian_id"),
        Index("ix_mandates_end_on", "end_on"),
    )

    def is_current(self, today: dt.date) -> bool:
        return (self.start_on is None or self.start_on <= today) and (self.end_on is None or self.end_on >= today)
