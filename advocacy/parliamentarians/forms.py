from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from advocacy.extensions import db
from advocacy.parliamentarians.models import EUROPEAN_PARLIAMENT, Chamber, Parliamentarian
from advocacy.pickers import CountryField, LanguagesField, LocaleField, TimeZoneField
from advocacy.validators import DateRange, blank_to_none, email_address, strip



class ParliamentarianForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)], filters=[strip])
    parliament = StringField("Parliament", validators=[DataRequired(), Length(max=120)], filters=[strip],
                             default=EUROPEAN_PARLIAMENT, description="European Parliament, Bundestag, Seimas, Senat…")
    chamber = SelectField("Chamber", choices=Chamber.choices(), default=Chamber.SINGLE.value)
    country = CountryField("Country", validators=[DataRequired()])
    political_group = StringField("Political group", validators=[Length(max=120)], filters=[blank_to_none])
    national_party = StringField("National party", validators=[Length(max=200)], filters=[blank_to_none])
    email = EmailField("Email", validators=[Optional(), email_address, Length(max=254)], filters=[blank_to_none])
    languages = LanguagesField("Languages", description="Hold Ctrl (⌘ on a Mac) to choose several.")
    committees = TextAreaField("Committees", validators=[Length(max=2000)], filters=[strip],
                               description="Comma separated, e.g. AFET, DROI, CULT")
    time_zone = TimeZoneField("Time zone", validators=[DataRequired()], default="Europe/Brussels",
                              description="Reminders arrive at 08:00 there.")
    locale = LocaleField("Language of their mail", blank="Their country's language",
                         description="Used for every mail to them, with or without an account.")
    external_id = StringField("External id", validators=[Length(max=64)], filters=[blank_to_none],
                              description="e.g. the EP's MEP id")
    mandate_start_on = DateField("Mandate start", validators=[Optional(), DateRange(max_future_years=1)])
    mandate_end_on = DateField("Mandate end", validators=[Optional(), DateRange(max_future_years=10)])

    def __init__(self, *args, parliamentarian_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._id = parliamentarian_id

    def validate_mandate_end_on(self, field):
        if field.data and self.mandate_start_on.data and field.data < self.mandate_start_on.data:
            raise ValidationError("The mandate cannot end before it starts.")

    def validate_external_id(self, field):
        if not field.data:
            return
        stmt = select(Parliamentarian.id).where(Parliamentarian.parliament == self.parliament.data,
                                                Parliamentarian.external_id == field.data)
        if self._id:
            stmt = stmt.where(Parliamentarian.id != self._id)
        if db.session.scalar(stmt) is not None:
            raise ValidationError("Another member of this parliament has this external id.")

    def apply(self, parl: Parliamentarian) -> None:
        for name in ("full_name", "parliament", "country", "political_group", "national_party", "email",
                     "time_zone", "external_id", "mandate_start_on", "mandate_end_on"):
            setattr(parl, name, getattr(self, name).data)
        parl.locale = self.locale.chosen
        parl.chamber = Chamber(self.chamber.data)
        parl.languages = self.languages.joined
        parl.committees = ",".join(c.strip() for c in (self.committees.data or "").split(",") if c.strip())
