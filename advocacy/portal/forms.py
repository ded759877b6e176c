from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from advocacy.statements.forms import StatementForm
from advocacy.pickers import LocaleField, TimeZoneField


class PortalStatementForm(StatementForm):
    """A godparent's own statement; the prisoner is one of their active pairings."""

    pairing_id = SelectField("For", coerce=int, validators=[DataRequired()])


class ProfileForm(FlaskForm):
    time_zone = TimeZoneField("Your time zone", validators=[DataRequired()], suggest_device=True,
                              description="Reminders arrive at 08:00 your time.")
    locale = LocaleField("Language of this site and emails", blank="As my browser says")
