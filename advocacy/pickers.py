"""Form fields for things people should pick, not type: time zones, countries and languages.

Each renders as a plain <select> (a multiple one for lists) that works without script;
static/js/app.js adds a search box (``data-searchable``) and, for time zones, offers the device's
own zone. The model keeps storing codes: an IANA zone name, ISO 3166 alpha-2 country codes, ISO
639-1 language codes (lists comma separated, as before).
"""
import functools
import zoneinfo

import pycountry
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from advocacy import i18n

#: the regions of the IANA database people live in; other names (Etc/GMT+3, US/Eastern…) are
#: aliases, accepted when already stored but not offered
REGIONS = ("Europe", "America", "Africa", "Asia", "Atlantic", "Australia", "Indian", "Pacific", "Antarctica", "Arctic")


@functools.cache
def _all_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone_label(name: str) -> str:
    """"America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires"."""
    return " / ".join(part.replace("_", " ") for part in name.split("/")[1:])


#: the regions' names as shown (optgroup labels)
REGION_LABELS = {"Europe": _l("Europe"), "America": _l("America"), "Africa": _l("Africa"), "Asia": _l("Asia"),
                 "Atlantic": _l("Atlantic"), "Australia": _l("Australia"), "Indian": _l("Indian Ocean"),
                 "Pacific": _l("Pacific"), "Antarctica": _l("Antarctica"), "Arctic": _l("Arctic")}


@functools.cache
def _zones_by_region() -> tuple[tuple[str, str, str], ...]:
    return tuple((z, _zone_label(z), region) for region in REGIONS
                 for z in sorted((z for z in _all_zones() if z.startswith(region + "/")), key=_zone_label))


def time_zone_choices() -> tuple[SelectChoice, ...]:
    """Zones grouped by region (rendered as <optgroup>s), cities in order."""
    choices = [SelectChoice(z, label, optgroup=str(REGION_LABELS[region])) for z, label, region in _zones_by_region()]
    return tuple(choices) + (SelectChoice("UTC", _("UTC (no local time)"), optgroup=_("Other")),)


def country_choices() -> tuple[tuple[str, str], ...]:
    """Every country, named in the reader's language (CLDR, through Babel), in that order."""
    return _country_choices(i18n.current_locale())


def language_choices() -> tuple[tuple[str, str], ...]:
    return _language_choices(i18n.current_locale())


@functools.cache
def _country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    with force_locale(locale):
        return tuple(sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda c: c[1]))


@functools.cache
def _language_choices(locale: str) -> tuple[tuple[str, str], ...]:
    with force_locale(locale):
        return tuple(sorted(((lang.alpha_2, language_name(lang.alpha_2)) for lang in pycountry.languages
                             if hasattr(lang, "alpha_2")), key=lambda c: c[1]))


def country_name(code: str | None) -> str:
    """The country's name in the reader's language; pycountry's English name where CLDR has none."""
    if not code:
        return ""
    named = i18n.format_locale().territories.get(code.upper())
    if named:
        return named
    country = pycountry.countries.get(alpha_2=code.upper())
    return (getattr(country, "common_name", None) or country.name) if country else code


def language_name(code: str | None) -> str:
    if not code:
        return ""
    named = i18n.format_locale().languages.get(code.lower())
    if named:
        return named
    lang = pycountry.languages.get(alpha_2=code.lower())
    return lang.name if lang else code


class TimeZoneField(SelectField):
    """An IANA time zone, picked from a list grouped by region. ``suggest_device``: offer the
    zone of the device in use (for a person's own zone, not when staff edit someone else's)."""

    def __init__(self, label=None, validators=None, suggest_device=False, **kwargs):
        render_kw = {"data-searchable": _("Type a city to search"), **kwargs.pop("render_kw", {})}
        if suggest_device:
            render_kw["data-time-zone"] = ""
        super().__init__(label, validators, choices=list(time_zone_choices()), render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0].strip()

    def pre_validate(self, form):
        # Any real zone is accepted, including an alias already stored (say Etc/UTC), so that
        # saving an old record does not fail on a field nobody touched.
        if self.data and self.data not in _all_zones():
            raise ValidationError(_("Choose a time zone from the list."))

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        if self.data and self.data in _all_zones() and self.data not in {c.value for c in self.choices}:
            self.choices = [*self.choices, SelectChoice(self.data, self.data, optgroup=_("Other"))]


class CountryField(SelectField):
    """One country, stored as its ISO 3166 alpha-2 code."""

    def __init__(self, label=None, validators=None, blank=None, **kwargs):
        blank = _("— choose —") if blank is None else blank
        render_kw = {"data-searchable": _("Type to search countries"), **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, choices=[("", blank), *country_choices()], render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0].strip().upper()

    def pre_validate(self, form):
        if self.data and pycountry.countries.get(alpha_2=self.data) is None:
            raise ValidationError(_("Choose a country from the list."))


class _CodeListField(SelectMultipleField):
    """Several codes from a list, stored on the model as one comma-separated string. A submitted
    value may itself be comma separated ("be, ru"): imports and older clients send that."""

    normalise = staticmethod(str.lower)
    unknown = _l("Unknown: %(codes)s.")

    def process_data(self, value):
        if isinstance(value, str):
            value = [c for c in value.replace(";", ",").split(",")]
        self.data = [self.normalise(c.strip()) for c in (value or []) if c and c.strip()]

    def process_formdata(self, valuelist):
        if valuelist:
            codes = []
            for v in valuelist:
                codes += [self.normalise(c.strip()) for c in v.replace(";", ",").split(",") if c.strip()]
            self.data = list(dict.fromkeys(codes))

    def pre_validate(self, form):
        known = {value for value, _ in self.choices}
        bad = [c for c in self.data or [] if c not in known]
        if bad:
            raise ValidationError(str(self.unknown) % {"codes": ", ".join(bad)})

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        # The chosen ones first, so a list of two hundred shows what is already picked.
        chosen = set(self.data or [])
        self.choices = sorted(self.choices, key=lambda c: c[0] not in chosen)

    @property
    def joined(self) -> str:
        """The value as the model stores it."""
        return ",".join(self.data or [])


class LanguagesField(_CodeListField):
    unknown = _l("Unknown language code(s): %(codes)s. Choose languages from the list.")

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"data-searchable": _("Type to search languages"), "size": 8, **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, choices=language_choices(), render_kw=render_kw, **kwargs)


class CountriesField(_CodeListField):
    normalise = staticmethod(str.upper)
    unknown = _l("Unknown country code(s): %(codes)s. Choose countries from the list.")

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"data-searchable": _("Type to search countries"), "size": 8, **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, choices=country_choices(), render_kw=render_kw, **kwargs)


class LanguageField(SelectField):
    """One language (optional), stored as its ISO 639-1 code."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"data-searchable": _("Type to search languages"), **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, choices=[("", "—"), *language_choices()], render_kw=render_kw, **kwargs)

    def process_data(self, value):
        self.data = (value or "").lower() or None

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0].strip().lower() or None

    def pre_validate(self, form):
        if self.data and pycountry.languages.get(alpha_2=self.data) is None:
            raise ValidationError(_("Unknown language code: %(code)s. Choose a language from the list.", code=self.data))


class LocaleField(SelectField):
    """One of the site's languages (advocacy.i18n.LANGUAGES), each named in its own language;
    the first option, ``blank``, means "no choice" and is stored as None."""

    def __init__(self, label=None, validators=None, blank="—", **kwargs):
        super().__init__(label, validators, choices=[("", blank), *i18n.LANGUAGES.items()], **kwargs)

    def process_data(self, value):
        self.data = value or ""

    @property
    def chosen(self) -> str | None:
        return self.data or None
