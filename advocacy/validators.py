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


def country_code(form, field):
    if field.data and pycountry.countries.get(alpha_2=field.data.upper()) is None:
        raise ValidationError("Use a two-letter ISO country code, e.g. DE, LT, PL.")


def language_codes(form, field):
    bad = [c for c in (field.data or "").replace(";", ",").split(",")
           if c.strip() and pycountry.languages.get(alpha_2=c.strip().lower()) is None]
    if bad:
        raise ValidationError(f"Unknown language code(s): {', '.join(b.strip() for b in bad)}. Use ISO 639-1, e.g. en, de, be.")


def time_zone(form, field):
    if field.data and field.data not in zoneinfo.available_timezones():
        raise ValidationError("Use an IANA time zone such as Europe/Berlin.")


def check_email(value: str) -> str:
    """The one email check (forms, imports, API): returns the normalised address or raises
    ValueError with the reason. Addresses in any script are accepted (RFC 6531)."""
    from advocacy.mail import AddressError, check_address

    try:
        return check_address(value)
    except AddressError as exc:
        raise ValueError(str(exc).replace("the address", "The address", 1)) from exc


def email_address(form, field):
    """Form validator built on ``check_email``; stores the normalised address."""
    if not field.data:
        return
    try:
        field.data = check_email(field.data)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def strip(value):
    """Form filter: trim surrounding white space."""
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    """Form filter: trim, and store an empty answer as NULL."""
    value = strip(value)
    return value or None
