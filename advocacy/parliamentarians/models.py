"""Parliamentarians: MEPs and members of national parliaments (lower and upper houses)."""
import datetime as dt

from sqlalchemy import Index, UniqueConstraint

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db
from advocacy.text import fold, split_csv

EUROPEAN_PARLIAMENT = "European Parliament"


class Chamber(LabelledEnum):
    SINGLE = ("single", "Single chamber / European Parliament")
    LOWER = ("lower", "Lower house")
    UPPER = ("upper", "Upper house")


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
    external_id = db.Column(db.String(64))  # e.g. the EP's MEP id
    mandate_start_on = db.Column(db.Date)
    mandate_end_on = db.Column(db.Date)
    is_archived = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    name_variants = db.relationship("NameVariant", cascade="all, delete-orphan")

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

    def refresh_search_text(self) -> None:
        self.search_text = fold(self.full_name)


@db.event.listens_for(Parliamentarian, "before_insert")
@db.event.listens_for(Parliamentarian, "before_update")
def _parl_before_save(mapper, connection, target):
    target.refresh_search_text()
    if target.email:
        target.email = target.email.strip().lower()
