import datetime as dt

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from advocacy.extensions import db
from advocacy.prisoners.models import (
    Facility, FacilityKind, Gender, KeyDateKind, Prisoner, PrisonerStatus, Visibility,
)
from advocacy.pickers import CountriesField, LanguagesField
from advocacy.validators import blank_to_none, strip, DateRange, http_url



class PrisonerForm(FlaskForm):
    name = StringField(_l("Name (Belarusian Latin)"), validators=[DataRequired(), Length(max=200)],
                       filters=[strip], description=_l("e.g. Maryia Kalesnikava"))
    alt_names = TextAreaField(_l("Other spellings"), validators=[Length(max=2000)], filters=[strip],
                              description=_l("One per line: Cyrillic, Russian transliteration… Search finds all of them."))
    birth_date = DateField(_l("Birth date"), validators=[Optional(), DateRange(past_only=True)])
    birth_year = IntegerField(_l("Birth year (if the date is unknown)"), validators=[Optional(), NumberRange(1900, 2015)])
    gender = SelectField(_l("Gender"), choices=[("", "—")] + Gender.choices(), default="", validate_choice=False)

    def validate_gender(self, field):
        if field.data and field.data not in Gender._value2member_map_:
            raise ValidationError(_("Not a valid choice."))
    city = StringField(_l("City"), validators=[Length(max=120)], filters=[blank_to_none])
    region = StringField(_l("Region"), validators=[Length(max=120)], filters=[blank_to_none])
    occupation = StringField(_l("Occupation"), validators=[Length(max=200)], filters=[blank_to_none])
    languages = LanguagesField(_l("Languages"), description=_l("Hold Ctrl (⌘ on a Mac) to choose several."))
    ties_countries = CountriesField(_l("Ties with countries"), description=_l("Minority, family, work. Hold Ctrl (⌘) to choose several."))
    detained_on = DateField(_l("Detained on"), validators=[Optional(), DateRange(past_only=True)])
    articles = StringField(_l("Criminal-code articles"), validators=[Length(max=300)], filters=[blank_to_none],
                           description=_l("e.g. 342, 361-1"))
    court = StringField(_l("Court"), validators=[Length(max=200)], filters=[blank_to_none])
    judge = StringField(_l("Judge"), validators=[Length(max=200)], filters=[blank_to_none])
    verdict_on = DateField(_l("Verdict on"), validators=[Optional(), DateRange(past_only=True)])
    sentence_text = StringField(_l("Sentence"), validators=[Length(max=300)], filters=[blank_to_none],
                                description=_l("e.g. 11 years in a reinforced-regime colony"))
    sentence_months = IntegerField(_l("Sentence in months"), validators=[Optional(), NumberRange(0, 1200)])
    sentence_start_on = DateField(_l("Sentence counted from"), validators=[Optional(), DateRange(past_only=True)])
    release_expected_on = DateField(_l("Expected release"), validators=[Optional(), DateRange(max_future_years=30)])
    facility_id = SelectField(_l("Facility"), coerce=int, validators=[Optional()])
    status = SelectField(_l("Status"), choices=PrisonerStatus.choices(), default=PrisonerStatus.PRE_TRIAL.value)
    status_on = DateField(_l("Status since"), validators=[Optional(), DateRange(past_only=True)])
    is_humanitarian = BooleanField(_l("On the humanitarian list"))
    risk_serious_illness = BooleanField(_l("Serious illness"))
    risk_disability = BooleanField(_l("Disability"))
    risk_over_60 = BooleanField(_l("Over 60"))
    risk_mental_disorder = BooleanField(_l("Mental disorder"))
    risk_large_family = BooleanField(_l("Parent of a large family"))
    incommunicado_since = DateField(_l("Incommunicado since"), validators=[Optional(), DateRange(past_only=True)])
    mailing_address = TextAreaField(_l("Personal postal address (Cyrillic)"), validators=[Length(max=1000)],
                                    filters=[blank_to_none], description=_l("Only if it differs from the facility's address"))
    bio = TextAreaField(_l("Short biography"), validators=[Length(max=5000)], filters=[blank_to_none])
    source_id = StringField(_l("Source id"), validators=[Length(max=100)], filters=[blank_to_none],
                            description=_l("The human-rights group's id, e.g. viasna-1234"))
    source_url = StringField(_l("Source URL"), validators=[Length(max=500), http_url], filters=[blank_to_none])
    has_family_consent = BooleanField(_l("The family consents to publicity"))
    visibility = SelectField(_l("Visibility"), choices=Visibility.choices(), default=Visibility.PRIVATE.value,
                             description=_l("Without the family's consent the prisoner stays private, whatever is chosen here."))

    def __init__(self, *args, prisoner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._prisoner_id = prisoner_id
        facilities = db.session.execute(
            select(Facility.id, Facility.name).where(Facility.is_archived.is_(False)).order_by(Facility.name)
        ).all()
        self.facility_id.choices = [(0, _("— unknown —"))] + [(f.id, f.name) for f in facilities]

    def validate_detained_on(self, field):
        if field.data and self.birth_date.data and field.data < self.birth_date.data:
            raise ValidationError(_("Detained before being born? Check both dates."))

    def validate_birth_year(self, field):
        if field.data and self.birth_date.data and field.data != self.birth_date.data.year:
            raise ValidationError(_("The birth year does not match the birth date."))

    def validate_verdict_on(self, field):
        if field.data and self.detained_on.data and field.data < self.detained_on.data:
            raise ValidationError(_("The verdict cannot come before the detention."))

    def validate_release_expected_on(self, field):
        if field.data and self.detained_on.data and field.data < self.detained_on.data:
            raise ValidationError(_("Expected release cannot come before the detention."))

    def validate_source_id(self, field):
        if not field.data:
            return
        stmt = select(Prisoner.id).where(Prisoner.source_id == field.data)
        if self._prisoner_id:
            stmt = stmt.where(Prisoner.id != self._prisoner_id)
        if db.session.scalar(stmt) is not None:
            raise ValidationError(_("Another prisoner already has this source id."))

    def apply(self, prisoner: Prisoner) -> None:
        """Copy the form onto the model (status is handled by the status service)."""
        for name in ("name", "alt_names", "birth_date", "birth_year", "city", "region", "occupation",
                     "detained_on", "articles", "court", "judge", "verdict_on", "sentence_text", "sentence_months",
                     "sentence_start_on", "release_expected_on", "is_humanitarian", "risk_serious_illness",
                     "risk_disability", "risk_over_60", "risk_mental_disorder", "risk_large_family",
                     "incommunicado_since", "mailing_address", "bio", "source_id", "source_url",
                     "has_family_consent"):
            setattr(prisoner, name, getattr(self, name).data)
        prisoner.languages = self.languages.joined
        prisoner.ties_countries = self.ties_countries.joined
        prisoner.gender = Gender(self.gender.data) if self.gender.data else None
        prisoner.facility_id = self.facility_id.data or None
        prisoner.visibility = Visibility(self.visibility.data)
        if not self.birth_date.data and not self.birth_year.data:
            prisoner.birth_year = None


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=PrisonerStatus.choices())
    changed_on = DateField(_l("Since"), validators=[DataRequired(), DateRange(past_only=True)], default=dt.date.today)
    note = StringField(_l("Note"), validators=[Length(max=500)], filters=[blank_to_none])


class KeyDateForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=KeyDateKind.choices())
    occurs_on = DateField(_l("Date"), validators=[DataRequired(), DateRange(max_future_years=5)])
    occurs_at_time = TimeField(_l("Time (Minsk)"), validators=[Optional()])
    place = StringField(_l("Court / place"), validators=[Length(max=300)], filters=[blank_to_none])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)], filters=[blank_to_none])
    is_yearly = BooleanField(_l("Repeats every year"))

    def validate_occurs_on(self, field):
        if field.data and field.data.year < 2000 and self.kind.data in ("trial", "appeal", "verdict"):
            raise ValidationError(_("A hearing before 2000? Check the year."))


class FacilityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    name_cyrillic = StringField(_l("Name in Cyrillic"), validators=[Length(max=200)], filters=[blank_to_none])
    kind = SelectField(_l("Kind"), choices=FacilityKind.choices())
    city = StringField(_l("City"), validators=[Length(max=120)], filters=[blank_to_none])
    region = StringField(_l("Region"), validators=[Length(max=120)], filters=[blank_to_none])
    address_latin = TextAreaField(_l("Address (Latin)"), validators=[Length(max=1000)], filters=[blank_to_none])
    address_cyrillic = TextAreaField(_l("Postal address (Cyrillic, exactly as the post needs it)"),
                                     validators=[Length(max=1000)], filters=[blank_to_none])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)], filters=[blank_to_none])
