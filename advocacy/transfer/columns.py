"""The column vocabulary of the prisoner and parliamentarian registers: one definition per
column, used by the import (parse a cell), the export (write a cell), the template download
and the column help on the import page. A column added here is importable, exported and
documented at once; nothing else lists columns.

Every cell is read the same way: the spreadsheet-formula guard that the export adds (a leading
apostrophe) is removed, surrounding white space is trimmed, and an empty cell means "no value"
(it clears that field: an export of an empty field imports as empty). Where two columns carry
one fact (``birth_date`` and ``birth_year``), an empty cell never wipes what the other column
says.
"""
import dataclasses
import datetime as dt
import enum
from typing import Callable

from flask_babel import gettext as _, lazy_gettext as _l

from advocacy.i18n import check_locale
from advocacy.parliamentarians.models import EUROPEAN_PARLIAMENT, Chamber, Parliamentarian
from advocacy.prisoners.models import Facility, FacilityKind, Gender, Prisoner, PrisonerStatus, Visibility
from advocacy.text import split_lines
from advocacy.validators import (check_country_codes, check_date, check_email, check_http_url, check_language_codes,
                                 check_time_zone)

#: a cell starting with one of these is a formula to a spreadsheet; the export prefixes "'"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SKIP = object()  # "leave this field as it is" (an empty cell of a field that cannot be empty)
TRUE_WORDS = ("1", "yes", "y", "true", "tak", "да", "так", "ja", "oui")
FALSE_WORDS = ("", "0", "no", "n", "false", "nie", "нет", "не", "nein", "non")


def guard_formula(value: str) -> str:
    """Export side: neutralise spreadsheet formulas (CSV injection). A cell that already starts
    with an apostrophe before a formula character gets one more, so ``unguard`` is exact."""
    if value[:1] in FORMULA_START or (value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_START):
        return "'" + value
    return value


def unguard_formula(value: str) -> str:
    """Import side: undo ``guard_formula`` ("'-" is read as "-")."""
    if value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_START:
        return value[1:]
    return value


# -- cell parsers: text → value, or ValueError saying what is wrong (without the column name) --
def _date(past_only=False):
    def parse(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a date (use YYYY-MM-DD)", value=value)) from None
        check_date(day, past_only=past_only)
        return day
    parse.format = _l("date, YYYY-MM-DD, not in the future") if past_only else _l("date, YYYY-MM-DD")
    return parse


def _year(value):
    if not (value.isdigit() and len(value) == 4) or not 1900 <= int(value) <= dt.date.today().year:
        raise ValueError(_("'%(value)s' is not a year between 1900 and now", value=value))
    return int(value)


_year.format = _l("year, YYYY")


def _date_or_year(value):
    """birth_date: a full date, or (older lists) only the year."""
    if value.isdigit() and len(value) == 4:
        return _year(value)
    return _date(past_only=True)(value)


_date_or_year.format = _l("date, YYYY-MM-DD (or only the year, YYYY)")


def _whole_number(value):
    if not value.isdigit():
        raise ValueError(_("'%(value)s' is not a whole number", value=value))
    return int(value)


_whole_number.format = _l("whole number")


def _bool(value):
    v = value.lower()
    if v in FALSE_WORDS:
        return False
    if v in TRUE_WORDS:
        return True
    raise ValueError(_("'%(value)s' is not yes or no", value=value))


_bool.format = _l("yes or no (empty means no)")


def _enum(cls, legacy: Callable | None = None):
    by_word = {}
    for m in cls:
        by_word[m.value] = m
        by_word[m.label.casefold()] = m

    def parse(value):
        v = value.strip().casefold()
        member = by_word.get(v) or by_word.get(v.replace(" ", "_").replace("-", "_"))
        if member is None and legacy:
            member = legacy(v)
        if member is None:
            raise ValueError(_("'%(value)s' is not one of %(choices)s", value=value,
                               choices=", ".join(m.value for m in cls)))
        return member
    parse.format = _l("one of %(choices)s", choices=", ".join(m.value for m in cls))
    return parse


def _checked(check, fmt, transform=lambda v: v):
    def parse(value):
        value = transform(value)
        check(value)
        return value
    parse.format = fmt
    return parse


def _country(value):
    from advocacy.transfer.services import country_code  # country names in many languages
    return country_code(value)


_country.format = _l("ISO country code (DE) or country name")


def _lines(value):
    """Alternative spellings: one per line (as exported), or separated by ; or | (older lists)."""
    parts = value.splitlines() if "\n" in value or "\r" in value else split_lines(value)
    return "\n".join(p.strip() for p in parts if p.strip())


def _export_lines(obj):
    names = [p.strip() for p in (obj.alt_names or "").splitlines() if p.strip()]
    # one spelling holding ";" or "|" gets a line break after it, so it is not read as several
    return "\n".join(names) + ("\n" if len(names) == 1 and any(c in names[0] for c in ";|") else "")


_lines.format = _l("one per line, or separated by ;")


def _text(value):
    return value


_text.format = _l("text")

def _codes(value):
    """Lists of codes are stored as written (checked, not rewritten): what is exported comes back."""
    return value


@dataclasses.dataclass(frozen=True)
class Column:
    name: str  # the header, in exports and imports
    help: str
    example: str
    parse: Callable = _text
    field: str | None = None  # model attribute; defaults to ``name``; "" = handled by the schema
    required: bool = False
    aliases: tuple = ()  # older names still understood on import
    nullable: bool = True  # False: an empty cell leaves the field as it is
    max_length: int | None = None
    empty: object = None  # the value of an empty cell ("" for fields that are never NULL)
    export: Callable | None = None  # obj → value; defaults to the field's value

    @property
    def target(self):
        return self.name if self.field is None else self.field

    @property
    def format(self):
        fmt = getattr(self.parse, "format", None) or _("text")
        if self.max_length:
            return _("%(format)s, at most %(num)s characters", format=fmt, num=self.max_length)
        return str(fmt)

    def read(self, cell: str):
        """The value of one cell (formula guard undone, trimmed), SKIP, or ValueError."""
        raw = unguard_formula(cell)
        value = raw.strip()
        if not value:
            if self.required:
                raise ValueError(_("is empty"))
            if not self.nullable:
                return SKIP
            return False if self.parse is _bool else self.empty
        if self.max_length and len(value) > self.max_length:
            raise ValueError(_("is %(length)d characters long, at most %(num)s fit: shorten it (nothing is cut on "
                               "import)", length=len(value), num=self.max_length))
        return self.parse(raw if self.parse is _lines else value)  # a line break tells spellings apart

    def write(self, obj) -> str:
        value = self.export(obj) if self.export else getattr(obj, self.field or self.name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return guard_formula(str(value))


def _codes_parse(value):
    return value


def _length(model, field):
    return getattr(model.__table__.c[field].type, "length", None)


def _facility_attr(attr):
    def get(p):
        return getattr(p.facility, attr) if p.facility else None
    return get


def _p(name, help, example, parse=_text, **kw):
    field = kw.get("field", name)
    if field and "max_length" not in kw and parse in (_text, _lines):
        kw["max_length"] = _length(Prisoner, field)
    return Column(name, help, example, parse, **kw)


def _m(name, help, example, parse=_text, **kw):
    field = kw.get("field", name)
    if field and "max_length" not in kw and parse in (_text, _lines):
        kw["max_length"] = _length(Parliamentarian, field)
    return Column(name, help, example, parse, **kw)


#: status words of human-rights groups' lists
LIST_STATUS_WORDS = {
    "convicted": PrisonerStatus.SENTENCED, "sentenced": PrisonerStatus.SENTENCED, "in prison": PrisonerStatus.SENTENCED,
    "detained": PrisonerStatus.PRE_TRIAL, "arrested": PrisonerStatus.PRE_TRIAL, "in custody": PrisonerStatus.PRE_TRIAL,
    "awaiting trial": PrisonerStatus.PRE_TRIAL, "pre-trial": PrisonerStatus.PRE_TRIAL,
    "freed": PrisonerStatus.RELEASED, "released": PrisonerStatus.RELEASED, "free": PrisonerStatus.RELEASED,
    "pardoned": PrisonerStatus.PARDONED, "deported": PrisonerStatus.DEPORTED, "expelled": PrisonerStatus.DEPORTED,
    "died": PrisonerStatus.DECEASED, "dead": PrisonerStatus.DECEASED, "deceased": PrisonerStatus.DECEASED,
}

#: at-risk group words of human-rights groups' lists → the register's risk flags
RISK_GROUP_WORDS = {
    "serious illness": "risk_serious_illness", "seriously ill": "risk_serious_illness", "illness": "risk_serious_illness",
    "ill": "risk_serious_illness", "disability": "risk_disability", "disabled": "risk_disability",
    "over 60": "risk_over_60", "60+": "risk_over_60", "elderly": "risk_over_60", "aged over 60": "risk_over_60",
    "mental disorder": "risk_mental_disorder", "mental illness": "risk_mental_disorder",
    "mental health": "risk_mental_disorder", "large family": "risk_large_family",
    "many children": "risk_large_family", "parent of many children": "risk_large_family",
}


def _risk_groups(value):
    """'serious illness; over 60' → the set of risk flags; an unknown word is an error."""
    flags = set()
    for word in split_lines(value.replace(",", ";")):
        w = " ".join(word.casefold().replace("_", " ").split())
        if not w:
            continue
        flag = RISK_GROUP_WORDS.get(w) or ("risk_" + w.replace(" ", "_") if "risk_" + w.replace(" ", "_") in
                                           set(RISK_GROUP_WORDS.values()) else None)
        if flag is None:
            raise ValueError(_("'%(value)s' is not an at-risk group we know (known: %(known)s)", value=word.strip(),
                               known=", ".join(sorted(RISK_GROUP_WORDS))))
        flags.add(flag)
    return frozenset(flags)


_risk_groups.format = _l("at-risk groups separated by commas or ; (serious illness, disability, over 60, "
                         "mental disorder, large family)")


def _legacy_gender(v):
    return {"f": Gender.FEMALE, "m": Gender.MALE, "ж": Gender.FEMALE, "м": Gender.MALE}.get(v[:1], None)


_codes_parse.format = _l("codes separated by commas")
_languages = _checked(check_language_codes, _l("ISO 639-1 codes separated by commas (be, ru)"), _codes)
_countries = _checked(check_country_codes, _l("ISO 3166 codes separated by commas (PL, LT)"), _codes)

PRISONER_COLUMNS = [
    _p("id", _l("This database's number for the prisoner: matches the rows of an export from here to their records "
             "when source_id is empty. Leave it empty in lists from elsewhere; a new record gets a new number."),
       "", _whole_number, field=""),
    _p("source_id", _l("The human-rights group's id for this person; what makes importing the same list again safe."),
       "viasna-1234"),
    _p("name", _l("Name in Belarusian Latin."), "Maryia Kalesnikava", required=True),
    _p("alt_names", _l("Other spellings: Cyrillic, Russian transliteration…"), "Мария Колесникова; Марыя Калеснікава",
       _lines, empty="", export=_export_lines),
    _p("birth_date", _l("Date of birth, or only the year when that is all that is known."), "1982-04-24", _date_or_year,
       field=""),
    _p("birth_year", _l("Year of birth (filled from birth_date when that is a full date)."), "1982", _year, field=""),
    _p("gender", "", "female", _enum(Gender, _legacy_gender)),
    _p("city", _l("Home town."), "Minsk"),
    _p("region", "", "Minsk Region"),
    _p("occupation", "", "musician"),
    _p("languages", _l("Languages the prisoner speaks."), "be,ru", _languages, empty=""),
    _p("ties_countries", _l("Countries the prisoner has ties with (minority, family, work)."), "DE", _countries, empty=""),
    _p("detained_on", _l("Date of detention."), "2020-09-07", _date(past_only=True)),
    _p("articles", _l("Criminal-code articles."), "361-1, 357"),
    _p("court", "", "Minsk Regional Court"),
    _p("judge", "", "Siarhei Yepikhau"),
    _p("prosecutor", "", "Aliaksandr Kryvanosau"),
    _p("verdict_on", _l("Date of the verdict."), "2021-09-06", _date()),
    _p("sentence_text", _l("The sentence in words."), "11 years, high-security colony", aliases=("sentence",)),
    _p("sentence_months", _l("The sentence in months."), "132", _whole_number),
    _p("sentence_start_on", "", "2020-09-07", _date()),
    _p("release_expected_on", "", "2031-09-06", _date()),
    _p("facility", _l("Where the prisoner is held; matched to the facility register (the check shows close "
                   "names so you can merge or create)."), "Penal colony No. 4, Homiel", field="",
       aliases=("facility_name",), max_length=_length(Facility, "name"),
       export=_facility_attr("name")),
    _p("facility_kind", _l("Kind of a facility the import creates ('unknown' when empty)."), "penal_colony",
       _enum(FacilityKind), field="", export=_facility_attr("kind")),
    _p("facility_city", _l("City of a facility the import creates."), "Homiel", field="", max_length=120,
       export=_facility_attr("city")),
    _p("facility_address", _l("Postal address (Cyrillic) of a facility the import creates."),
       "246035, г. Гомель, ул. Антошкина, 3", field="", export=_facility_attr("address_cyrillic")),
    _p("status", "", "sentenced", _enum(PrisonerStatus, lambda v: LIST_STATUS_WORDS.get(v)), nullable=False, field=""),
    _p("status_on", _l("Date of the last status change."), "2021-09-06", _date(past_only=True)),
    _p("is_humanitarian", _l("On the humanitarian list (set by any risk_* flag)."), "no", _bool, aliases=("humanitarian",)),
    _p("risk_serious_illness", "", "no", _bool),
    _p("risk_disability", "", "no", _bool),
    _p("risk_over_60", "", "no", _bool),
    _p("risk_mental_disorder", "", "no", _bool),
    _p("risk_large_family", "", "no", _bool),
    _p("incommunicado_since", _l("Date since when there is no news."), "", _date()),
    _p("mailing_address", _l("Personal postal address (Cyrillic), when not the facility's."), ""),
    _p("bio", _l("Short biography."), "Musician and campaign manager."),
    _p("source_url", _l("Page of the source about this person."), "https://prisoners.spring96.org/en/person/1",
       _checked(check_http_url, _l("web address, http(s)://…"))),
    _p("has_family_consent", _l("The family agreed to public campaigning; no means private."), "yes", _bool,
       aliases=("family_consent",)),
    _p("visibility", _l("Public only with family consent."), "public", _enum(Visibility), nullable=False),
    _p("is_archived", "", "no", _bool),
]

PARLIAMENTARIAN_COLUMNS = [
    _m("id", _l("This database's number for the member: matches the rows of an export from here to their records "
             "when external_id is empty. Leave it empty in lists from elsewhere."), "", _whole_number, field=""),
    _m("parliament", _l("Empty means the European Parliament."), EUROPEAN_PARLIAMENT, nullable=False),
    _m("external_id", _l("The parliament's id for the member (the EP's MEP id)."), "197490"),
    _m("full_name", "", "Petras AUŠTREVIČIUS", required=True),
    _m("chamber", "", "single", _enum(Chamber), nullable=False),
    _m("country", "", "LT", _country, required=True),
    _m("political_group", _l("EP group or national faction."), "Renew"),
    _m("national_party", "", "Lietuvos Respublikos liberalų sąjūdis"),
    _m("email", "", "petras.austrevicius@europarl.europa.eu",
       _checked(check_email, _l("email address"), str.lower), max_length=254),
    _m("languages", "", "lt,en,ru", _languages, empty=""),
    _m("committees", _l("Committees, separated by commas."), "AFET,DROI", _codes_parse, empty=""),
    _m("time_zone", _l("IANA time zone for reminders."), "Europe/Vilnius", _checked(check_time_zone, _l("IANA time zone")),
       nullable=False),
    _m("locale", _l("Language of their mail: en, de, fr, pl or lt. Empty: their country's language."), "lt",
       _checked(check_locale, _l("en, de, fr, pl or lt"), lambda v: v.strip().lower())),
    _m("mandate_start_on", "", "2019-07-02", _date()),
    _m("mandate_end_on", "", "", _date()),
    _m("is_archived", "", "no", _bool),
]


#: the columns only a human-rights group's list has (see PRISONER_LIST below)
LIST_COLUMNS = [
    _p("released_on", _l("Release date: the day a freed prisoner was released (the status change's date); "
                      "for someone still held, the expected release."), "2025-06-21", _date(), field=""),
    _p("died_on", _l("Date of death: the prisoner's status becomes 'died in custody' from that day."), "",
       _date(past_only=True), field=""),
    _p("risk_groups", _l("At-risk groups, separated by commas: serious illness, disability, over 60, mental disorder, "
                      "large family. Sets the risk_* flags (all of them: a group not named is cleared)."),
       "serious illness, over 60", _risk_groups, field="", empty=frozenset()),
]

#: a human-rights group's field names (as their lists publish them) → our columns
LIST_ALIASES = {
    "source_id": ("id", "person_id"), "birth_date": ("birthday", "born", "date_of_birth"),
    "detained_on": ("arrested", "arrest_date", "detained"), "verdict_on": ("verdict_date", "verdict"),
    "sentence_text": ("penalty", "sentence"), "facility": ("prison", "place_of_detention", "colony"),
    "released_on": ("release_date", "released"), "died_on": ("died", "date_of_death", "death_date"),
    "risk_groups": ("at-risk_groups", "at_risk_groups", "at_risk", "risk"),
}


@dataclasses.dataclass
class Schema:
    kind: str
    model: type
    columns: list
    key: str  # the column that identifies a record across imports

    def __post_init__(self):
        self.by_word = {}
        for c in self.columns:
            for word in (c.name, *c.aliases):
                self.by_word[word] = c

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def template_rows(self) -> list[list[str]]:
        return [self.header, [c.example for c in self.columns]]

    def export_row(self, obj) -> list[str]:
        return [c.write(obj) for c in self.columns]


def normalise_header(cell: str) -> str:
    return unguard_formula(cell).strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


PRISONERS = Schema("prisoners", Prisoner, PRISONER_COLUMNS, key="source_id")
#: a human-rights group's list: their id is our source_id (this database's id is not in it)
PRISONER_LIST = Schema("prisoner-list", Prisoner, [
    dataclasses.replace(c, aliases=tuple(dict.fromkeys(c.aliases + LIST_ALIASES.get(c.name, ()))))
    for c in PRISONER_COLUMNS + LIST_COLUMNS if c.name != "id"], key="source_id")
PARLIAMENTARIANS = Schema("parliamentarians", Parliamentarian, PARLIAMENTARIAN_COLUMNS, key="external_id")
#: the registers (export, import, template)
SCHEMAS = {s.kind: s for s in (PRISONERS, PARLIAMENTARIANS)}
#: what can be imported: the registers and human-rights groups' prisoner lists
IMPORT_SCHEMAS = {**SCHEMAS, PRISONER_LIST.kind: PRISONER_LIST}
