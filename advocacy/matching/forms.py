from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from advocacy.matching.models import WEIGHTS
from advocacy.security import MAX_DB_INT


class SettingsForm(FlaskForm):
    default_capacity = IntegerField(_l("New adoptions per parliamentarian (default)"), validators=[InputRequired(), NumberRange(0, 20)])


for _attr, _label, _default, _help in WEIGHTS:
    setattr(SettingsForm, _attr, FloatField(_label, description=_help, validators=[InputRequired(), NumberRange(0, 100,
            message=_l("Use a weight between 0 and 100."))]))


class CapacityForm(FlaskForm):
    capacity = IntegerField(_l("New adoptions this parliamentarian may take"), validators=[InputRequired(), NumberRange(0, 20,
                            message=_l("Capacity is between 0 and 20."))])


class LinkForm(FlaskForm):
    other_prisoner_id = IntegerField(_l("Belongs together with prisoner (id)"), validators=[DataRequired(), NumberRange(1, MAX_DB_INT)])
    note = StringField(_l("Why"), validators=[Length(max=200)])


class DeclineForm(FlaskForm):
    reason = StringField(_l("Why not? (optional, helps us find someone else)"), validators=[Length(max=500)])
