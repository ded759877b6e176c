"""Imports: prisoners CSV, parliamentarians CSV, the European Parliament's MEP list (XML).

Every import runs in two steps. ``dry_run`` parses the file and says, row by row, what would
be created, updated or left unchanged and which rows are bad and why; it writes nothing.
``apply`` does the same and writes it, in the caller's single transaction, and refuses the
whole file if any row is bad. Matching: prisoners by ``source_id``; parliamentarians by
(parliament, external id). Importing the same file again changes nothing.
"""
import csv
import dataclasses
import datetime as dt
import gettext
import io
import zoneinfo
from functools import lru_cache

import pycountry
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.prisoners import services as prisoner_services
from advocacy.validators import check_email
from advocacy.parliamentarians.models import EUROPEAN_PARLIAMENT, Chamber, Parliamentarian
from advocacy.prisoners.models import Facility, Gender, Prisoner, PrisonerStatus, Visibility

KINDS = {"prisoners": "Prisoners (CSV)", "parliamentarians": "Parliamentarians (CSV)",
         "ep-xml": "European Parliament MEP list (XML)"}

#: The EP's French group names (as in its published lists) → the usual abbreviations.
EP_GROUPS_FR = {
    "Groupe du Parti populaire européen (Démocrates-Chrétiens)": "EPP",
    "Groupe de l'Alliance Progressiste des Socialistes et Démocrates au Parlement européen": "S&D",
    "Groupe des Conservateurs et Réformistes européens": "ECR",
    "Groupe Alliance des démocrates et des libéraux pour l'Europe": "ALDE",
    "Groupe Renew Europe": "Renew",
    "Groupe des Verts/Alliance libre européenne": "Greens/EFA",
    "Groupe confédéral de la Gauche unitaire européenne/Gauche verte nordique": "GUE/NGL",
    "Groupe de la gauche au Parlement européen - GUE/NGL": "The Left",
    "Groupe Europe de la liberté et de la démocratie directe": "EFDD",
    "Groupe Europe des Nations et des Libertés": "ENF",
    "Groupe Identité et démocratie": "ID",
    "Groupe des Patriotes pour l'Europe": "PfE",
    "Groupe Europe des nations souveraines": "ESN",
    "Non-inscrits": "NI",
}


class ImportError_(ValueError):
    """The whole file is unusable (wrong format, encoding, columns); the message says why."""


@dataclasses.dataclass
class RowResult:
    line: int
    key: str
    action: str  # create | update | unchanged | error
    label: str
    changes: dict = dataclasses.field(default_factory=dict)
    error: str | None = None


@dataclasses.dataclass
class Report:
    kind: str
    rows: list
    notes: list = dataclasses.field(default_factory=list)

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def errors(self):
        return [r for r in self.rows if r.action == "error"]

    def summary(self):
        return {a: self.count(a) for a in ("create", "update", "unchanged", "error")}


# -- parsing ----------------------------------------------------------------------------------
def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_(f"The file is not UTF-8 text (byte {exc.start}). Save it as 'CSV UTF-8' and upload again.") from exc


def read_csv(content: bytes, required: set[str]):
    text = decode(content)
    if not text.strip():
        raise ImportError_("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = sorted(required - set(header))
    if missing:
        raise ImportError_(f"Missing column(s): {', '.join(missing)}. The first line must name the columns "
                           f"(found: {', '.join(header) or 'nothing'}).")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise ImportError_(f"Line {reader.line_num} has more cells than there are columns: check the delimiter and quotes.")
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return header, rows


def parse_date(value: str, field: str, year_only_ok=False):
    if not value:
        return None, None
    if year_only_ok and value.isdigit() and len(value) == 4:
        return None, int(value)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{field}: '{value}' is not a date (use YYYY-MM-DD{' or YYYY' if year_only_ok else ''})") from exc
    if day.year < 1900 or day > dt.date.today() + dt.timedelta(days=3650):
        raise ValueError(f"{field}: {value} is out of range")
    return day, day.year


def parse_bool(value: str, field: str):
    v = value.strip().lower()
    if v in ("", "0", "no", "n", "false", "nie", "нет", "не"):
        return False
    if v in ("1", "yes", "y", "true", "tak", "да", "так"):
        return True
    raise ValueError(f"{field}: '{value}' is not yes/no")


@lru_cache(maxsize=1)
def french_countries() -> dict[str, str]:
    """French country names → ISO alpha-2, from pycountry's own translations."""
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    out = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name:
                out[fr.gettext(name).casefold()] = c.alpha_2
                out[name.casefold()] = c.alpha_2
    return out


def country_code(value: str) -> str:
    value = value.strip()
    if len(value) == 2 and pycountry.countries.get(alpha_2=value.upper()):
        return value.upper()
    code = french_countries().get(value.casefold())
    if code is None:
        try:
            code = pycountry.countries.lookup(value).alpha_2
        except LookupError:
            raise ValueError(f"country: '{value}' is not a country we know") from None
    return code


# -- record builders: file row → model field values ------------------------------------------
PRISONER_REQUIRED = {"name", "source_id"}


def prisoner_values(row: dict, header) -> dict:
    if not row.get("name"):
        raise ValueError("name is empty")
    if len(row["name"]) > 200:
        raise ValueError("name is longer than 200 characters")
    v = {"name": row["name"]}
    if "alt_names" in header:
        v["alt_names"] = "\n".join(s.strip() for s in row["alt_names"].replace("|", ";").split(";") if s.strip())
    if "birth_date" in header:
        v["birth_date"], v["birth_year"] = parse_date(row["birth_date"], "birth_date", year_only_ok=True)
    if "detained_on" in header:
        v["detained_on"], _ = parse_date(row["detained_on"], "detained_on")
        if v["detained_on"] and v["detained_on"] > dt.date.today():
            raise ValueError("detained_on is in the future")
    if v.get("birth_date") and v.get("detained_on") and v["detained_on"] < v["birth_date"]:
        raise ValueError("detained_on is before birth_date")
    for f in ("city", "region", "occupation", "articles", "court", "judge"):
        if f in header:
            v[f] = row[f][:300] or None
    if "sentence" in header:
        v["sentence_text"] = row["sentence"][:300] or None
    if "sentence_months" in header:
        if row["sentence_months"] and not row["sentence_months"].isdigit():
            raise ValueError(f"sentence_months: '{row['sentence_months']}' is not a whole number")
        v["sentence_months"] = int(row["sentence_months"]) if row["sentence_months"] else None
    if "gender" in header and row["gender"]:
        g = row["gender"].lower()[:1]
        v["gender"] = {"f": Gender.FEMALE, "m": Gender.MALE}.get(g, Gender.OTHER)
    if "status" in header and row["status"]:
        s = row["status"].strip().lower().replace(" ", "_")
        if s not in PrisonerStatus._value2member_map_:
            raise ValueError(f"status: '{row['status']}' is not one of {', '.join(PrisonerStatus._value2member_map_)}")
        v["status"] = PrisonerStatus(s)
    for f in ("humanitarian", "risk_serious_illness", "risk_disability", "risk_over_60", "risk_mental_disorder",
              "risk_large_family"):
        if f in header:
            v["is_humanitarian" if f == "humanitarian" else f] = parse_bool(row[f], f)
    if "incommunicado_since" in header:
        v["incommunicado_since"], _ = parse_date(row["incommunicado_since"], "incommunicado_since")
    if "source_url" in header:
        if row["source_url"] and not row["source_url"].lower().startswith(("http://", "https://")):
            raise ValueError("source_url must start with http:// or https://")
        v["source_url"] = row["source_url"] or None
    if "family_consent" in header:
        v["has_family_consent"] = parse_bool(row["family_consent"], "family_consent")
        v["visibility"] = Visibility.PUBLIC if v["has_family_consent"] else Visibility.PRIVATE
    if "facility" in header:
        v["_facility"] = row["facility"] or None
    return v


PARL_REQUIRED = {"full_name", "country", "external_id"}


def parliamentarian_values(row: dict, header) -> dict:
    if not row.get("full_name"):
        raise ValueError("full_name is empty")
    v = {"full_name": row["full_name"][:200], "country": country_code(row["country"]),
         "parliament": (row.get("parliament") or EUROPEAN_PARLIAMENT)[:120], "external_id": row["external_id"][:64] or None}
    if not v["external_id"]:
        raise ValueError("external_id is empty")
    if "chamber" in header and row["chamber"]:
        if row["chamber"].lower() not in Chamber._value2member_map_:
            raise ValueError(f"chamber: '{row['chamber']}' is not single, lower or upper")
        v["chamber"] = Chamber(row["chamber"].lower())
    for f in ("political_group", "national_party", "languages", "committees"):
        if f in header:
            v[f] = row[f] or (None if f in ("political_group", "national_party") else "")
    if "email" in header:
        email = row["email"].strip() or None
        if email:
            try:
                email = check_email(email).lower()
            except ValueError as exc:
                raise ValueError(f"email: {exc}") from exc
        v["email"] = email
    if "time_zone" in header and row["time_zone"]:
        if row["time_zone"] not in zoneinfo.available_timezones():
            raise ValueError(f"time_zone: '{row['time_zone']}' is not an IANA time zone")
        v["time_zone"] = row["time_zone"]
    for f in ("mandate_start_on", "mandate_end_on"):
        if f in header:
            v[f], _ = parse_date(row[f], f)
    return v


def ep_xml_rows(content: bytes):
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ImportError_(f"The XML file was refused for safety ({type(exc).__name__}): entity declarations and "
                           "external references are not allowed.") from exc
    except Exception as exc:  # xml.etree.ElementTree.ParseError and friends
        raise ImportError_(f"The file is not well-formed XML: {exc}") from exc
    if root.tag != "meps":
        raise ImportError_(f"Expected the EP's <meps> list, found <{root.tag}>.")
    rows = []
    for i, mep in enumerate(root.findall("mep"), start=1):
        get = lambda tag: (mep.findtext(tag) or "").strip()  # noqa: E731
        rows.append((i, {"full_name": get("fullName"), "country": get("country"), "external_id": get("id"),
                         "political_group": EP_GROUPS_FR.get(get("politicalGroup"), get("politicalGroup")),
                         "national_party": get("nationalPoliticalGroup"), "parliament": EUROPEAN_PARLIAMENT}))
    if not rows:
        raise ImportError_("The list contains no <mep> entries.")
    return ["full_name", "country", "external_id", "political_group", "national_party", "parliament"], rows


# -- dry run and apply ------------------------------------------------------------------------
def _parse(kind: str, content: bytes):
    if kind == "prisoners":
        header, rows = read_csv(content, PRISONER_REQUIRED)
        return header, rows, prisoner_values
    if kind == "parliamentarians":
        header, rows = read_csv(content, PARL_REQUIRED)
        return header, rows, parliamentarian_values
    if kind == "ep-xml":
        header, rows = ep_xml_rows(content)
        return header, rows, parliamentarian_values
    raise ImportError_(f"Unknown import kind '{kind}'.")


def _diff(obj, values) -> dict:
    changes = {}
    for k, v in values.items():
        if k.startswith("_"):
            continue
        old = getattr(obj, k)
        if old != v and not (old in (None, "") and v in (None, "")):
            changes[k] = [str(getattr(old, "value", old)) if old is not None else None,
                          str(getattr(v, "value", v)) if v is not None else None]
    return changes


def _apply_import(obj, values: dict, today) -> None:
    """Write an imported row onto an existing record. A prisoner's status goes through the one
    status service, so a release imported from a list ends the pairings, cancels reminders and
    queues the right mail, as the staff form does."""
    values = dict(values)
    new_status = values.pop("status", None) if isinstance(obj, Prisoner) else None
    status_on = values.pop("status_on", None) if new_status is not None else None
    for k, v in values.items():
        setattr(obj, k, v)
    if new_status is not None and new_status != obj.status:
        prisoner_services.change_status(obj, new_status, on=status_on or today, note="Changed by an import")
    elif status_on is not None:
        obj.status_on = status_on


def run(kind: str, content: bytes, *, write: bool, end_missing: bool = False, today: dt.date | None = None) -> Report:
    """Dry run (``write=False``) or apply (``write=True``; flushes, the caller commits — and
    must not commit when the report has errors)."""
    today = today or dt.date.today()
    header, rows, build = _parse(kind, content)
    report = Report(kind, [])
    seen = set()
    facilities = {f.name.casefold(): f for f in db.session.scalars(select(Facility))} if kind == "prisoners" else {}
    if kind == "prisoners":
        existing = {p.source_id: p for p in db.session.scalars(select(Prisoner).where(Prisoner.source_id.is_not(None)))}
    else:
        existing = {(m.parliament, m.external_id): m for m in db.session.scalars(
            select(Parliamentarian).where(Parliamentarian.external_id.is_not(None)))}
    for line, row in rows:
        key = row.get("source_id") if kind == "prisoners" else (row.get("parliament") or EUROPEAN_PARLIAMENT, row.get("external_id"))
        label = row.get("name") or row.get("full_name") or "?"
        try:
            if kind == "prisoners" and not row.get("source_id"):
                raise ValueError("source_id is empty: it is what makes re-importing safe")
            values = build(row, header)
            if key in seen:
                raise ValueError("the same id appears twice in the file")
            seen.add(key)
        except ValueError as exc:
            report.rows.append(RowResult(line, str(key), "error", label, error=str(exc)))
            continue
        facility_name = values.pop("_facility", None)
        obj = existing.get(key)
        if facility_name:
            fac = facilities.get(facility_name.casefold())
            if fac is None:
                report.notes.append(f"Facility '{facility_name}' will be created.")
                fac = Facility(name=facility_name[:200])
                facilities[facility_name.casefold()] = fac
                if write:
                    db.session.add(fac)
                    db.session.flush()
            values["facility_id"] = fac.id if fac.id else None
            if not write and fac.id is None:
                values.pop("facility_id")
        if obj is None:
            report.rows.append(RowResult(line, str(key), "create", label))
            if write:
                model = Prisoner if kind == "prisoners" else Parliamentarian
                if kind == "prisoners":
                    values["source_id"] = key
                created = model(**values)
                db.session.add(created)
                if kind == "prisoners":
                    db.session.flush()
                    prisoner_services.record_first_status(created, on=created.status_on or today,
                                                          note="Imported")
        else:
            changes = _diff(obj, values)
            report.rows.append(RowResult(line, str(key), "update" if changes else "unchanged", label, changes))
            if write and changes:
                _apply_import(obj, values, today)
    if end_missing and kind == "ep-xml":
        in_file = {k for k in seen}
        for (parliament, ext), m in existing.items():
            if parliament == EUROPEAN_PARLIAMENT and (parliament, ext) not in in_file and not m.mandate_end_on:
                report.rows.append(RowResult(0, ext, "update", m.full_name, {"mandate_end_on": [None, today.isoformat()]}))
                if write:
                    m.mandate_end_on = today
    if write and not report.errors:
        db.session.flush()
    return report
