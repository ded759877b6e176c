from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectMultipleField, widgets
from wtforms.validators import NumberRange, Optional, ValidationError

from advocacy.reminders.models import RuleKind


class RuleForm(FlaskForm):
    offset_days = IntegerField(_l("Days relative to the date (negative = before)"), validators=[NumberRange(-60, 30)])
    every_days = IntegerField(_l("Milestone every N days"), validators=[Optional(), NumberRange(50, 5000)])
    is_active = BooleanField(_l("Active"))

    def __init__(self, *args, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._rule = rule

    def validate_every_days(self, field):
        if self._rule is not None and self._rule.kind == RuleKind.MILESTONE and not field.data:
            raise ValidationError(_l("A milestone rule needs a number of days."))


class MultiCheckbox(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PreferenceForm(FlaskForm):
    kinds = MultiCheckbox(_l("Remind me of"), choices=[(k.value, k.label) for k in RuleKind])
    is_digest = BooleanField(_l("One daily digest instead of separate emails"))
    is_unsubscribed = BooleanField(_l("Stop all reminder emails"))
