from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from advocacy.i18n import language_choices
from advocacy.statements.forms import StatementForm
from advocacy.pickers import TimeZoneField


class PortalStatementForm(StatementForm):
    """A godparent's own statement; the prisoner is one of their active pairings."""

    pairing_id = SelectField("For", coerce=int, validators=[DataRequired()])


class ProfileForm(FlaskForm):
    time_zone = TimeZoneField("Your time zone", validators=[DataRequired()], suggest_device=True,
                              description="Reminders arrive at 08:00 your time.")
    locale = SelectField("Language of this site and emails",
                         choices=[("", "As my browser says")] + language_choices(), default="")
