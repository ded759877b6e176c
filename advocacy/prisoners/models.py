"""Prisoners, the facilities that hold them, their key dates and status history.

Modelled on what human-rights groups (e.g. Viasna) publish for each political prisoner.
"""
import datetime as dt
import secrets

from sqlalchemy import Index, event
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db
from advocacy.names.variants import spellings as derive_spellings
from advocacy.text import fold, split_lines


class PrisonerStatus(LabelledEnum):
    PRE_TRIAL = ("pre_trial", _l("In custody, awaiting trial"), lazy_pgettext("in a sentence", "in custody, awaiting trial"))
    SENTENCED = ("sentenced", _l("In custody, sentenced"), lazy_pgettext("in a sentence", "in custody, sentenced"))
    RELEASED = ("released", _l("Released"), lazy_pgettext("in a sentence", "released"))
    PARDONED = ("pardoned", _l("Pardoned"), lazy_pgettext("in a sentence", "pardoned"))
    DEPORTED = ("deported", _l("Deported on release"), lazy_pgettext("in a sentence", "deported on release"))
    DECEASED = ("deceased", _l("Died in custody"), lazy_pgettext("in a sentence", "died in custody"))


IN_CUSTODY = (PrisonerStatus.PRE_TRIAL, PrisonerStatus.SENTENCED)
#: statuses after which no more reminders go out and pairings end
FREED = (PrisonerStatus.RELEASED, PrisonerStatus.PARDONED, PrisonerStatus.DEPORTED)


class Gender(LabelledEnum):
    FEMALE = ("female", _l("Female"))
    MALE = ("male", _l("Male"))
    OTHER = ("other", _l("Other / not stated"))


class Visibility(LabelledEnum):
    PUBLIC = ("public", _l("Public"))
    PRIVATE = ("private", _l("Private (staff only)"))


class FacilityKind(LabelledEnum):
    PENAL_COLONY = ("penal_colony", _l("Penal colony"))
    PRISON = ("prison", _l("Prison"))
    PRE_TRIAL = ("pre_trial", _l("Pre-trial detention centre (SIZO)"))
    TEMPORARY = ("temporary", _l("Temporary detention (IVS / TsIP)"))
    OTHER = ("other", _l("Other"))
    #: created by an import whose list did not say what kind of place it is
    UNKNOWN = ("unknown", _l("Unknown (check)"))


class KeyDateKind(LabelledEnum):
    TRIAL = ("trial", _l("Trial hearing"), lazy_pgettext("in a sentence", "trial hearing"))
    APPEAL = ("appeal", _l("Appeal hearing"), lazy_pgettext("in a sentence", "appeal hearing"))
    VERDICT = ("verdict", _l("Verdict"), lazy_pgettext("in a sentence", "verdict"))
    RELEASE_EXPECTED = ("release_expected", _l("Expected release"), lazy_pgettext("in a sentence", "expected release"))
    CUSTOM = ("custom", _l("Other date"), lazy_pgettext("in a sentence", "date"))


HEARING_KINDS = (KeyDateKind.TRIAL, KeyDateKind.APPEAL)

RISK_FLAGS = {
    "risk_serious_illness": _l("Serious illness"),
    "risk_disability": _l("Disability"),
    "risk_over_60": _l("Over 60"),
    "risk_mental_disorder": _l("Mental disorder"),
    "risk_large_family": _l("Parent of a large family"),
}


class Facility(db.Model):
    __tablename__ = "facilities"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    name_cyrillic = db.Column(db.String(200))
    kind = db.Column(enum_type(FacilityKind), nullable=False, default=FacilityKind.PENAL_COLONY)
    city = db.Column(db.String(120))
    region = db.Column(db.String(120))
    address_latin = db.Column(db.Text)
    #: postal address exactly as Belarusian post needs it, in Cyrillic
    address_cyrillic = db.Column(db.Text)
    notes = db.Column(db.Text)
    is_archived = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_facilities_name", "name"),)

    def __str__(self):
        return self.name


def new_public_id() -> str:
    """A random id for public URLs and the public export: sequential ids would reveal, by their
    gaps, how many private prisoners exist. 72 random bits, URL-safe."""
    return secrets.token_urlsafe(9)


class Prisoner(db.Model):
    __tablename__ = "prisoners"
    __audited__ = True
    #: typed spellings; changing one rebuilds the searchable variants (advocacy.names)
    __name_fields__ = ("name", "alt_names")

    id = db.Column(db.Integer, primary_key=True)
    #: the only id that appears publicly (see new_public_id)
    public_id = db.Column(db.String(16), nullable=False, unique=True, default=new_public_id)
    #: canonical name in Belarusian Latin, e.g. "Maryia Kalesnikava"
    name = db.Column(db.String(200), nullable=False)
    #: other spellings, one per line: Cyrillic, Russian transliteration, …
    alt_names = db.Column(db.Text, nullable=False, default="")
    #: folded form of all spellings (see advocacy.text.fold), what search looks in
    search_text = db.Column(db.Text, nullable=False, default="")
    birth_date = db.Column(db.Date)
    #: known even when the full birth date is not
    birth_year = db.Column(db.Integer)
    gender = db.Column(enum_type(Gender))
    city = db.Column(db.String(120))
    region = db.Column(db.String(120))
    occupation = db.Column(db.String(200))
    #: ISO 639-1 codes, comma separated (be, ru, pl, …)
    languages = db.Column(db.String(100), nullable=False, default="")
    #: ISO 3166 alpha-2 codes of countries the prisoner has ties with (minority, family, work)
    ties_countries = db.Column(db.String(100), nullable=False, default="")

    detained_on = db.Column(db.Date)
    articles = db.Column(db.String(300))  # criminal-code articles, e.g. "342, 361-1"
    court = db.Column(db.String(200))
    judge = db.Column(db.String(200))
    prosecutor = db.Column(db.String(200))
    verdict_on = db.Column(db.Date)
    sentence_text = db.Column(db.String(300))
    sentence_months = db.Column(db.Integer)
    sentence_start_on = db.Column(db.Date)
    release_expected_on = db.Column(db.Date)
    facility_id = db.Column(db.Integer, db.ForeignKey("facilities.id", ondelete="SET NULL"))
    status = db.Column(enum_type(PrisonerStatus), nullable=False, default=PrisonerStatus.PRE_TRIAL)
    status_on = db.Column(db.Date)

    is_humanitarian = db.Column(db.Boolean, nullable=False, default=False)
    risk_serious_illness = db.Column(db.Boolean, nullable=False, default=False)
    risk_disability = db.Column(db.Boolean, nullable=False, default=False)
    risk_over_60 = db.Column(db.Boolean, nullable=False, default=False)
    risk_mental_disorder = db.Column(db.Boolean, nullable=False, default=False)
    risk_large_family = db.Column(db.Boolean, nullable=False, default=False)
    incommunicado_since = db.Column(db.Date)

    #: personal mailing address in Cyrillic when it differs from the facility's
    mailing_address = db.Column(db.Text)
    bio = db.Column(db.Text)
    source_id = db.Column(db.String(100), unique=True)
    source_url = db.Column(db.String(500))
    has_family_consent = db.Column(db.Boolean, nullable=False, default=False)
    visibility = db.Column(enum_type(Visibility), nullable=False, default=Visibility.PRIVATE)
    is_archived = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    facility = db.relationship("Facility", lazy="joined", innerjoin=False)
    key_dates = db.relationship(
        "KeyDate", back_populates="prisoner", cascade="all, delete-orphan",
        order_by="KeyDate.occurs_on",
    )
    name_variants = db.relationship("NameVariant", cascade="all, delete-orphan")
    status_changes = db.relationship(
        "PrisonerStatusChange", back_populates="prisoner", cascade="all, delete-orphan",
        order_by="PrisonerStatusChange.changed_on.desc(), PrisonerStatusChange.id.desc()",
    )

    __table_args__ = (
        Index("ix_prisoners_name", "name"),
        Index("ix_prisoners_status", "status"),
        Index("ix_prisoners_facility_id", "facility_id"),
        Index("ix_prisoners_visibility", "visibility"),
        Index("ix_prisoners_humanitarian", "is_humanitarian"),
        Index("ix_prisoners_detained_on", "detained_on"),
        Index("ix_prisoners_updated_at", "updated_at"),  # the staff list's "recently updated" sort
    )

    def __str__(self):
        return self.name

    # -- derived facts -------------------------------------------------------------------
    @property
    def spellings(self) -> list[str]:
        return [self.name, *split_lines(self.alt_names)]

    @property
    def derived_spellings(self) -> list[str]:
        """Spellings search derives from the typed ones (transliterations both ways), for staff."""
        typed = set(self.spellings)
        out = []
        for s in self.spellings:
            out += [d for d in derive_spellings(s) if d not in typed and d not in out]
        return out

    @property
    def is_in_custody(self) -> bool:
        return self.status in IN_CUSTODY

    @property
    def is_public(self) -> bool:
        """Public only with the family's consent AND public visibility: no consent means private."""
        return self.visibility == Visibility.PUBLIC and bool(self.has_family_consent)

    @property
    def risk_labels(self) -> list[str]:
        return [label for attr, label in RISK_FLAGS.items() if getattr(self, attr)]

    @property
    def postal_address(self) -> str | None:
        if self.mailing_address:
            return self.mailing_address
        return self.facility.address_cyrillic if self.facility else None

    def days_detained(self, today: dt.date) -> int | None:
        if not self.detained_on:
            return None
        end = today
        if not self.is_in_custody and self.status_on:
            end = min(today, self.status_on)
        return max((end - self.detained_on).days, 0)

    def refresh_search_text(self) -> None:
        self.search_text = " ".join(fold(s) for s in self.spellings)


@event.listens_for(Prisoner, "before_insert")
@event.listens_for(Prisoner, "before_update")
def _prisoner_before_save(mapper, connection, target: Prisoner):
    target.refresh_search_text()
    if target.birth_date:
        target.birth_year = target.birth_date.year
    # No family consent means private, whatever the form said.
    if not target.has_family_consent:
        target.visibility = Visibility.PRIVATE
    if any(getattr(target, a) for a in RISK_FLAGS):
        target.is_humanitarian = True


class PrisonerStatusChange(db.Model):
    """Status history: one row per change, newest first on the prisoner page."""

    __tablename__ = "prisoner_status_changes"

    id = db.Column(db.Integer, primary_key=True)
    prisoner_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False, index=True)
    status = db.Column(enum_type(PrisonerStatus), nullable=False)
    changed_on = db.Column(db.Date, nullable=False)
    note = db.Column(db.String(500))
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    prisoner = db.relationship("Prisoner", back_populates="status_changes")


class KeyDate(db.Model):
    """A dated event in a prisoner's case. Birthdays and arrest anniversaries are not stored
    here: they derive from ``Prisoner.birth_date`` / ``detained_on``."""

    __tablename__ = "key_dates"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    prisoner_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False)
    kind = db.Column(enum_type(KeyDateKind), nullable=False)
    occurs_on = db.Column(db.Date, nullable=False)
    occurs_at_time = db.Column(db.Time)  # local (Minsk) time of a hearing, if known
    place = db.Column(db.String(300))  # court and room
    note = db.Column(db.Text)
    is_yearly = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    prisoner = db.relationship("Prisoner", back_populates="key_dates")

    __table_args__ = (
        Index("ix_key_dates_prisoner_id", "prisoner_id"),
        Index("ix_key_dates_occurs_on", "occurs_on"),
    )

    @property
    def title(self) -> str:
        return self.kind.label if self.kind != KeyDateKind.CUSTOM or not self.note else self.note
