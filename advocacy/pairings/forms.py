import datetime as dt

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from advocacy.pairings.models import EndReason
from advocacy.validators import DateRange
from advocacy.security import MAX_DB_INT


class PairingForm(FlaskForm):
    parliamentarian_id = IntegerField("Parliamentarian (id)", validators=[DataRequired(), NumberRange(1, MAX_DB_INT)])
    prisoner_id = IntegerField("Prisoner (id)", validators=[DataRequired(), NumberRange(1, MAX_DB_INT)])
    status = SelectField("Start as", choices=[("active", "Active now"), ("invited", "Invitation (they accept in the portal)")])


class EndPairingForm(FlaskForm):
    reason = SelectField("Reason", choices=EndReason.choices())
    ended_on = DateField("Ended on", validators=[DataRequired(), DateRange(past_only=True)], default=dt.date.today)
    note = StringField("Note", validators=[Length(max=500)])
