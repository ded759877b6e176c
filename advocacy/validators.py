"""WTForms validators shared by several features."""
import datetime as dt
from wtforms.validators import ValidationError

MIN_DATE = dt.date(1900, 1, 1)


class DateRange:
    """A date between 1900 and (optionally) today, or a given window in years around today."""

    def __init__(self, past_only=False, max_future_years=10):
        self.past_only = past_only
        self.max_future_years = max_future_years

    def __call__(self, form, field):
        if field.data is None:
            return
        today = dt.date.today()
        if field.data < MIN_DATE:
            raise ValidationError("That date is too long ago; check the year.")
        if self.past_only and field.data > today:
            raise ValidationError("This date cannot be in the future.")
        if field.data > today.replace(year=today.year + self.max_future_years):
            raise ValidationError("That date is too far in the future; check the year.")


def http_url(form, field):
    if field.data and not field.data.lower().startswith(("http://", "https://")):
        raise ValidationError("Give a web address starting with http:// or https://.")


def strip(value):
    """Form filter: trim surrounding white space."""
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    """Form filter: trim, and store an empty answer as NULL."""
    value = strip(value)
    return value or None
