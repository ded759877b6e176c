from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from advocacy.statements.forms import StatementForm
from advocacy.validators import time_zone


class PortalStatementForm(StatementForm):
    """A godparent's own statement; the prisoner is one of their active pairings."""

    pairing_id = SelectField("For", coerce=int, validators=[DataRequired()])


class ProfileForm(FlaskForm):
    time_zone = StringField("Your time zone", validators=[DataRequired(), time_zone],
                            description="IANA name such as Europe/Berlin: reminders arrive at 08:00 your time.")
    locale = SelectField("Language of this site and emails", choices=[("en", "English")])
