from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from advocacy.statements.models import StatementKind
from advocacy.pickers import LanguageField
from advocacy.validators import blank_to_none, strip, DateRange, http_url



class StatementForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=StatementKind.choices())
    made_on = DateField(_l("Date"), validators=[DataRequired(), DateRange(past_only=True)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)], filters=[strip])
    url = StringField(_l("Link"), validators=[Optional(), Length(max=1000), http_url], filters=[blank_to_none])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5000)], filters=[blank_to_none])
    language = LanguageField(_l("Language"))
    is_public = BooleanField(_l("Show on the public campaign page (after verification)"), default=True)

    def validate_made_on(self, field):
        if field.data and field.data.year < 1990:
            raise ValidationError(_("That date is too long ago; check the year."))

    def apply(self, statement):
        from advocacy.statements.models import StatementKind as K

        statement.kind = K(self.kind.data)
        for name in ("made_on", "title", "url", "summary", "language", "is_public"):
            setattr(statement, name, getattr(self, name).data)
