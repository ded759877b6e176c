"""WTForms validators shared by several features."""
import datetime as dt
import zoneinfo

import pycountry
from flask_babel import gettext as _
from wtforms.validators import ValidationError

MIN_DATE = dt.date(1900, 1, 1)


def check_date(value: dt.date, past_only=False, max_future_years=10, today: dt.date | None = None) -> None:
    """Raise ValueError unless ``value`` lies between 1900 and the allowed future."""
    today = today or dt.date.today()
    if value < MIN_DATE:
        raise ValueError(_("That date is too long ago; check the year."))
    if past_only and value > today:
        raise ValueError(_("This date cannot be in the future."))
    if value > today.replace(year=today.year + max_future_years):
        raise ValueError(_("That date is too far in the future; check the year."))


def check_http_url(value: str) -> None:
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValueError(_("Give a web address starting with http:// or https://."))


def check_country_code(value: str) -> None:
    if value and (len(value) != 2 or pycountry.countries.get(alpha_2=value.upper()) is None):
        raise ValueError(_("Use a two-letter ISO country code, e.g. DE, LT, PL."))


def check_country_codes(value: str) -> None:
    bad = [c.strip() for c in (value or "").replace(";", ",").split(",")
           if c.strip() and (len(c.strip()) != 2 or pycountry.countries.get(alpha_2=c.strip().upper()) is None)]
    if bad:
        raise ValueError(_("Unknown country code(s): %(codes)s. Use ISO 3166 alpha-2, e.g. PL, LT.",
                           codes=", ".join(bad)))


def check_language_codes(value: str) -> None:
    bad = [c for c in (value or "").replace(";", ",").split(",")
           if c.strip() and pycountry.languages.get(alpha_2=c.strip().lower()) is None]
    if bad:
        raise ValueError(_("Unknown language code(s): %(codes)s. Use ISO 639-1, e.g. en, de, be.",
                           codes=", ".join(b.strip() for b in bad)))


def check_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValueError(_("Use an IANA time zone such as Europe/Berlin."))


def _form_validator(check):
    """The WTForms validator for a value check: forms and imports share one rule."""
    def validator(form, field):
        try:
            check(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
    validator.__name__ = check.__name__.removeprefix("check_")
    return validator


class DateRange:
    """A date between 1900 and (optionally) today, or a given window in years around today."""

    def __init__(self, past_only=False, max_future_years=10):
        self.past_only = past_only
        self.max_future_years = max_future_years

    def __call__(self, form, field):
        if field.data is None:
            return
        try:
            check_date(field.data, self.past_only, self.max_future_years)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


http_url = _form_validator(check_http_url)
country_code = _form_validator(check_country_code)
language_codes = _form_validator(check_language_codes)
time_zone = _form_validator(check_time_zone)


def check_email(value: str) -> str:
    """The one email check (forms, imports, API): returns the normalised address or raises
    ValueError with the reason. Addresses in any script are accepted (RFC 6531)."""
    from advocacy.mail import AddressError, check_address

    try:
        return check_address(value)
    except AddressError as exc:
        raise ValueError(exc.sentence) from exc


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
