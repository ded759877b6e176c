import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from advocacy.pairings.models import EndReason
from advocacy.validators import DateRange
from advocacy.security import MAX_DB_INT


class PairingForm(FlaskForm):
    parliamentarian_id = IntegerField(_l("Parliamentarian (id)"), validators=[DataRequired(), NumberRange(1, MAX_DB_INT)])
    prisoner_id = IntegerField(_l("Prisoner (id)"), validators=[DataRequired(), NumberRange(1, MAX_DB_INT)])
    status = SelectField(_l("Start as"), choices=[("active", _l("Active now")), ("invited", _l("Invitation (they accept in the portal)"))])


class EndPairingForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=EndReason.choices())
    ended_on = DateField(_l("Ended on"), validators=[DataRequired(), DateRange(past_only=True)], default=dt.date.today)
    note = StringField(_l("Note"), validators=[Length(max=500)])
