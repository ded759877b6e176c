"""Imports: prisoners CSV, parliamentarians CSV, the European Parliament's MEP list (XML).

Every import runs in two steps. The check (``run(write=False)``) reads the file and says, row
by row, what would be created, updated or left unchanged, which rows are bad and why (every
bad cell, by column name), which columns are ignored and which facilities are new; it writes
nothing. The commit (``run(write=True)``) does the same and writes it, in the caller's single
transaction, and refuses the whole file if any row is bad. Both run as jobs outside the web
request (see ``advocacy.transfer.jobs``).

Columns are defined once, in ``advocacy.transfer.columns``, for import, export, template and
help. Matching: prisoners by ``source_id`` (else by this database's ``id``); parliamentarians by
(parliament, ``external_id``) (else ``id``). Importing the same file again changes nothing.
"""
import dataclasses
import datetime as dt
import gettext
from functools import lru_cache
from typing import Callable

import pycountry
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.facilities.services import closest, normalise
from advocacy.parliamentarians import ep_groups, mandates
from advocacy.parliamentarians.mandates import MandateSpec
from advocacy.parliamentarians.models import EUROPEAN_PARLIAMENT, Chamber, Parliamentarian
from advocacy.prisoners.models import FREED, RISK_FLAGS, Facility, FacilityKind, Prisoner, PrisonerStatus, Visibility
from advocacy.transfer.columns import IMPORT_SCHEMAS, PARLIAMENTARIANS, PRISONER_LIST, PRISONERS, SKIP, normalise_header
from advocacy.transfer.csvfile import FileError, read_table

KINDS = {"prisoners": _l("Prisoners (CSV)"), "prisoner-list": _l("Prisoner list of a human-rights group (CSV or JSON): "
                                                                 "shows what changed since its last list"),
         "parliamentarians": _l("Parliamentarians (CSV)"), "ep-xml": _l("European Parliament MEP list (XML)")}
IGNORE = ""  # a mapping target meaning "ignore this column"
#: bad rows reported in full; beyond this they are counted
MAX_REPORTED_ERRORS = 1000
#: a new facility name scoring at least this against an existing one needs staff's choice
FACILITY_CANDIDATE_SCORE = 60


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
    #: header cells of the file that fill no field
    ignored: list = dataclasses.field(default_factory=list)
    #: header cell → column it was read as, where that took a mapping or an older name
    mapped: dict = dataclasses.field(default_factory=dict)
    #: facilities the file names that are not in the register: name, city, kind, rows, candidates, choice
    facilities: list = dataclasses.field(default_factory=list)
    #: the records' keys the file holds (source_id / (parliament, external_id))
    keys: list = dataclasses.field(default_factory=list)

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def errors(self):
        return [r for r in self.rows if r.action == "error"]

    @property
    def undecided_facilities(self):
        return [f for f in self.facilities if f["choice"] is None]

    def summary(self):
        out = {a: self.count(a) for a in ("create", "update", "unchanged", "error")}
        for r in self.rows:  # conflicts, members marked as left, a prisoner list's changes
            if r.action not in out:
                out[r.action] = self.count(r.action)
        return out


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
            raise ValueError(_("'%(value)s' is not a country we know", value=value)) from None
    return code




def ep_xml_rows(content: bytes):
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ImportError_(_("The XML file was refused for safety (%(error)s): entity declarations and external "
                             "references are not allowed.", error=type(exc).__name__)) from exc
    except Exception as exc:  # xml.etree.ElementTree.ParseError and friends
        raise ImportError_(_("The file is not well-formed XML: %(error)s", error=exc)) from exc
    if root.tag != "meps":
        raise ImportError_(_("Expected the EP's <meps> list, found <%(tag)s>.", tag=root.tag))
    rows = []
    for i, mep in enumerate(root.findall("mep"), start=1):
        get = lambda tag: (mep.findtext(tag) or "").strip()  # noqa: E731
        rows.append((i, [get("fullName"), get("country"), get("id"),
                         get("politicalGroup"),  # any language edition: mapped by ep_groups
                         get("nationalPoliticalGroup"), EUROPEAN_PARLIAMENT]))
    if not rows:
        raise ImportError_(_("The list contains no <mep> entries."))
    return ["full_name", "country", "external_id", "political_group", "national_party", "parliament"], iter(rows)




def _json_cell(value, field: str, number: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v) for v in value)
    raise ImportError_(_("Entry %(number)d: the field '%(field)s' holds %(type)s data; expected text, a number, a "
                         "date or a list of words.", number=number, field=field, type=type(value).__name__))


def json_rows(content: bytes):
    """A JSON prisoner list: an array of objects, or an object holding one (under "prisoners",
    "data", "items" or "results"). The union of the objects' fields is the header."""
    import json

    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportError_(_("The JSON file is not UTF-8 text: %(error)s", error=exc)) from exc
    except ValueError as exc:
        raise ImportError_(_("The file is not valid JSON: %(error)s", error=exc)) from exc
    if isinstance(data, dict):
        data = next((data[k] for k in ("prisoners", "data", "items", "results") if isinstance(data.get(k), list)), None)
    if not isinstance(data, list):
        raise ImportError_(_("Expected a JSON array of people (or an object with a \"prisoners\" array)."))
    if not all(isinstance(item, dict) for item in data):
        raise ImportError_(_("Every entry of the JSON array must be an object with fields such as id, name, status."))
    header = list(dict.fromkeys(k for item in data for k in item))
    rows = [(n, [_json_cell(item.get(k), k, n) for k in header]) for n, item in enumerate(data, start=1)]
    return header, iter(rows)


# -- reading: file → header columns and rows of cell values ---------------------------------
def _table(kind: str, content: bytes):
    if kind == "ep-xml":
        return ep_xml_rows(content)
    if kind == PRISONER_LIST.kind and content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return json_rows(content)
    try:
        return read_table(content)
    except FileError as exc:
        raise ImportError_(str(exc)) from exc


def resolve_columns(schema, header: list[str], mapping: dict):
    """Which column each header cell fills: ``(columns, ignored, mapped)``, where ``columns``
    holds a Column or None per cell. ``mapping`` (normalised header → column name, "" to ignore)
    is what staff chose for this source. Refuses a header that lacks a required column, names
    one twice, or has no key column."""
    columns, ignored, mapped, seen = [], [], {}, {}
    for cell in header:
        word = normalise_header(cell)
        target = mapping.get(word, word)
        col = schema.by_word.get(target) if target != IGNORE else None
        if col is None:
            columns.append(None)
            if word:
                ignored.append(cell.strip())
            continue
        if col.name in seen:
            raise ImportError_(_("The columns '%(first)s' and '%(second)s' both fill %(column)s: remove one, or map "
                                 "one to another field.", first=seen[col.name], second=cell.strip(), column=col.name))
        seen[col.name] = cell.strip()
        if col.name != word:
            mapped[cell.strip()] = col.name
        columns.append(col)
    missing = [c for c in schema.required if c not in seen]
    if missing:
        found = ", ".join(h.strip() for h in header)
        raise ImportError_(
            _("Missing column(s): %(missing)s. The first line must name the columns (found: %(found)s).",
              missing=", ".join(missing), found=found)
            if found else _("Missing column(s): %(missing)s. The first line must name the columns (found: nothing).",
                            missing=", ".join(missing)))
    if schema.key not in seen and "id" not in seen:
        raise ImportError_(_("Missing column: %(key)s (or id). It identifies each record, so that importing "
                             "the same list again updates instead of duplicating.", key=schema.key))
    return columns, ignored, mapped


def read_cells(columns, cells) -> tuple[dict, list]:
    """Column name → value for one record, and every bad cell as "column: what is wrong"."""
    values, errors = {}, []
    if len(cells) != len(columns):
        return values, [_("the line has %(cells)d cells but the header has %(columns)d: check its quotes and "
                          "delimiters", cells=len(cells), columns=len(columns))]
    for col, cell in zip(columns, cells):
        if col is None:
            continue
        try:
            values[col.name] = col.read(cell)
        except ValueError as exc:
            errors.append(_("%(column)s: %(error)s", column=col.name, error=exc))
    return values, errors


# -- record builders: column values → model field values (+ "_" entries the run resolves) ----
def prisoner_record(vals: dict, errors: list) -> dict:
    out = {}
    for name, v in vals.items():
        col = PRISONER_LIST.by_word[name] if name in PRISONER_LIST.by_word else PRISONERS.by_word[name]
        if col.field != "" and v is not SKIP:
            out[col.target] = v
    # birth_date and birth_year carry one fact: an empty cell never wipes what the other says
    year = None
    if "birth_date" in vals:
        bd = vals["birth_date"]
        out["birth_date"] = bd if isinstance(bd, dt.date) else None
        year = bd.year if isinstance(bd, dt.date) else bd
    if vals.get("birth_year") is not None:
        if year is not None and year != vals["birth_year"]:
            errors.append(_("birth_year: %(year)s, but birth_date says %(date_year)s", year=vals["birth_year"],
                            date_year=year))
        out["birth_year"] = vals["birth_year"]
    elif year is not None:
        out["birth_year"] = year
    elif "birth_year" in vals and not vals.get("birth_date"):
        out["birth_year"] = None
    if out.get("birth_date") and out.get("detained_on") and out["detained_on"] < out["birth_date"]:
        errors.append(_("detained_on: before birth_date"))
    if "facility" in vals:
        out["_facility"] = {"name": vals["facility"], "kind": vals.get("facility_kind"),
                            "city": vals.get("facility_city"), "address": vals.get("facility_address")}
    if vals.get("status") not in (None, SKIP):
        out["_status"] = vals["status"]
    _list_fields(vals, out, errors)
    # the model's rules (see _prisoner_before_save), applied here too so the check shows the truth
    if "has_family_consent" in out and "visibility" not in vals:
        out["visibility"] = Visibility.PUBLIC if out["has_family_consent"] else Visibility.PRIVATE
    if out.get("has_family_consent") is False and "visibility" in out:
        out["visibility"] = Visibility.PRIVATE
    if any(out.get(flag) for flag in RISK_FLAGS):
        out["is_humanitarian"] = True
    if vals.get("id") is not None:
        out["_id"] = vals["id"]
    return out


MANDATE_FIELDS = ("political_group", "mandate_start_on", "mandate_end_on")


def _list_fields(vals: dict, out: dict, errors: list) -> None:
    """The fields only a human-rights group's list has: release date, date of death, at-risk groups."""
    if "risk_groups" in vals:
        for flag in RISK_FLAGS:
            out[flag] = flag in vals["risk_groups"]
    if vals.get("died_on"):
        if out.get("_status") not in (None, PrisonerStatus.DECEASED):
            errors.append(_("died_on: given, but the status is %(status)s", status=out["_status"].value))
        out["_status"] = PrisonerStatus.DECEASED
        out["status_on"] = vals["died_on"]
    released = vals.get("released_on")
    if released:
        status = out.get("_status")
        if status in FREED:
            if released > dt.date.today():
                errors.append(_("released_on: %(date)s is in the future, but the status says %(status)s",
                                date=released.isoformat(), status=status.value))
            out["status_on"] = released
        elif status is None and "status" not in vals and released <= dt.date.today():
            out["_status"], out["status_on"] = PrisonerStatus.RELEASED, released
        else:  # still held: the date the sentence ends
            out["release_expected_on"] = released


def parliamentarian_record(vals: dict, errors: list) -> dict:
    out = {}
    for name, v in vals.items():
        col = PARLIAMENTARIANS.by_word[name]
        if col.field != "" and v is not SKIP:
            out[col.target] = v
    out.setdefault("parliament", EUROPEAN_PARLIAMENT)
    # the term's fields go to the member's mandate of that term (advocacy.parliamentarians.mandates)
    out["_mandate"] = MandateSpec(
        parliament=out["parliament"], chamber=out.get("chamber") or Chamber.SINGLE,
        start_on=out.pop("mandate_start_on", None), end_on=out.pop("mandate_end_on", None),
        political_group=out.pop("political_group", None), has_group="political_group" in vals,
        has_end="mandate_end_on" in vals)
    if vals.get("id") is not None:
        out["_id"] = vals["id"]
    return out


def apply_imported_status(prisoner: Prisoner, status: PrisonerStatus, *, on: dt.date | None, today: dt.date,
                          is_new: bool) -> None:
    """The one place an import sets a prisoner's status.

    A new record simply starts with the list's status. A changed status of a known prisoner
    goes through the prisoner register's status change (history row; pairings of a freed or
    dead prisoner end). NOTE for issue 12: point this at the status-change service when it
    lands; nothing else in the importer touches ``Prisoner.status``.
    """
    if is_new:
        prisoner.status = status
        return
    if prisoner.status != status:
        from advocacy.prisoners.services import change_status

        change_status(prisoner, status, on=on or today, note=_("Set by an import"))


# -- dry run and apply ------------------------------------------------------------------------
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


#: fields that make a verdict: a change in any of them is a "sentenced" line
VERDICT_FIELDS = ("verdict_on", "sentence_text", "sentence_months", "sentence_start_on", "release_expected_on",
                  "court", "judge", "prosecutor")
#: the lines staff accept or skip in update mode ("missing" lines are only flags: nothing to apply)
CHANGE_ACTIONS = ("new", "released", "died", "sentenced", "transferred", "changed")


def classify_changes(changes: dict) -> dict:
    """One known person's changes (field → [old, new]) as the lines of update mode: action →
    the fields it changes. A release, pardon or deportation is "released"; a death "died"; a
    verdict (or the move from pre-trial to sentenced) "sentenced"; a new facility "transferred";
    anything else "changed"."""
    rest = dict(changes)
    out = {}
    status = rest.pop("status", None)
    status_on = rest.pop("status_on", None)
    if status is not None:
        new = PrisonerStatus(status[1])
        action = ("released" if new in FREED else "died" if new == PrisonerStatus.DECEASED
                  else "sentenced" if new == PrisonerStatus.SENTENCED else "changed")
        out[action] = {"status": status, **({"status_on": status_on} if status_on else {})}
    elif status_on is not None:
        rest["status_on"] = status_on
    verdict = {k: rest.pop(k) for k in VERDICT_FIELDS if k in rest}
    if verdict:
        out.setdefault("sentenced", {}).update(verdict)
    if "facility" in rest:
        out["transferred"] = {"facility": rest.pop("facility")}
    if rest:
        out.setdefault("changed", {}).update(rest)
    return out


class _Facilities:
    """Resolves the facility names of a prisoner file against the register: an exact match of
    the normalised name is the same facility; any other name is new, and listed with the
    closest existing facilities for staff to choose merge or create."""

    def __init__(self, choices: dict):
        self.all = db.session.scalars(select(Facility).order_by(Facility.id)).all()
        self.by_key = {}
        for f in self.all:
            self.by_key.setdefault(normalise(f.name), f)
        self.choices = choices
        self.new = {}  # normalised name → proposal dict
        self.created = {}  # normalised name → Facility created by this run

    def resolve(self, spec: dict):
        """The facility a row means: a Facility, a proposal dict (new, not yet decided or to be
        created), or None for an empty cell."""
        if not spec["name"]:
            return None
        key = normalise(spec["name"]) or spec["name"].casefold()
        if key in self.by_key:
            return self.by_key[key]
        proposal = self.new.get(key)
        if proposal is None:
            candidates = closest(spec["name"], spec["city"], self.all, threshold=FACILITY_CANDIDATE_SCORE)
            choice = self.choices.get(spec["name"])
            if choice is None and not candidates:
                choice = "create"
            proposal = self.new[key] = {
                "name": spec["name"], "city": spec["city"], "address": spec["address"],
                "kind": (spec["kind"] or FacilityKind.UNKNOWN).value, "rows": 0, "choice": choice,
                "candidates": [{"id": f.id, "name": f.name, "city": f.city, "score": s} for s, f in candidates]}
        proposal["rows"] += 1
        if isinstance(proposal["choice"], int):
            target = next((f for f in self.all if f.id == proposal["choice"]), None)
            if target is None:
                proposal["choice"] = None  # the chosen facility was deleted meanwhile: choose again
            else:
                return target
        return proposal

    def materialise(self, proposal: dict) -> Facility:
        key = normalise(proposal["name"]) or proposal["name"].casefold()
        if key not in self.created:
            fac = Facility(name=proposal["name"], kind=FacilityKind(proposal["kind"]), city=proposal["city"],
                           address_cyrillic=proposal["address"])
            db.session.add(fac)
            self.created[key] = fac
        return self.created[key]


def run(kind: str, content: bytes, *, write: bool, end_missing: bool = False, today: dt.date | None = None,
        mapping: dict | None = None, facility_choices: dict | None = None,
        progress: Callable[[int, int], None] | None = None, listed_on: dt.date | None = None,
        skip=None, previous_keys=None) -> Report:
    """Check (``write=False``) or apply (``write=True``; flushes, the caller commits — and must
    not commit when the report has errors or undecided facilities). ``mapping``: normalised
    header → column name for columns the file names differently; ``facility_choices``: new
    facility name → "create" or an existing facility id. ``progress(done, total)`` is called
    every few thousand rows. Raises ImportError_ when the file as a whole is unusable.

    Parliamentarians: ``listed_on`` is the date of the list (default: today). Each row adds or
    updates the member's mandate of the term it speaks of; a list older than the one that last
    set a member or a mandate changes nothing there and reports a "conflict" row instead.
    ``end_missing`` ends the current mandate of members of the file's parliaments that the list
    leaves out (a "left" row each), unless a newer list set them.

    A human-rights group's prisoner list (kind "prisoner-list") is read in update mode: each
    change of a known person is its own line ("released", "died", "sentenced", "transferred",
    "changed"; new people are "new"), and ``skip`` holds the lines staff skipped ("key:action"),
    which are not applied. ``previous_keys``: the ids of the last list imported from the same
    source; who is no longer on the list becomes a "missing" line, and is never changed.
    ``report.keys`` holds this list's ids, for the next time."""
    today = today or dt.date.today()
    listed_on = listed_on or today
    if listed_on > today:
        raise ImportError_(_("The list's date %(date)s is in the future.", date=listed_on.isoformat()))
    schema = PARLIAMENTARIANS if kind == "ep-xml" else IMPORT_SCHEMAS.get(kind)
    if schema is None:
        raise ImportError_(_("Unknown import kind '%(kind)s'.", kind=kind))
    header, records = _table(kind, content)
    columns, ignored, mapped = resolve_columns(schema, header, mapping or {})
    try:
        records = list(records)
    except FileError as exc:
        raise ImportError_(str(exc)) from exc
    if not records:
        raise ImportError_(_("The file has a header but no rows: nothing to import."))
    total = len(records)
    report = Report(kind, [], ignored=ignored, mapped=mapped)
    build = prisoner_record if schema is not PARLIAMENTARIANS else parliamentarian_record
    model = schema.model
    stmt = select(model)
    if schema is PARLIAMENTARIANS:
        stmt = stmt.options(selectinload(Parliamentarian.mandates))
    everyone = db.session.scalars(stmt).all()
    by_id = {o.id: o for o in everyone}
    if schema is not PARLIAMENTARIANS:
        by_key = {o.source_id: o for o in everyone if o.source_id}
        facilities = _Facilities(facility_choices or {})
    else:
        by_key = {(o.parliament, o.external_id): o for o in everyone if o.external_id}
    seen = set()
    pending = 0
    new_objects = []
    update_mode = schema is PRISONER_LIST
    skip = set(skip or ())
    members = _Members(report, write=write, listed_on=listed_on, today=today) if schema is PARLIAMENTARIANS else None
    for done, (line, cells) in enumerate(records, start=1):
        vals, errors = read_cells(columns, cells)
        values = build(vals, errors) if not errors or vals else {}
        label = (vals.get("name") or vals.get("full_name") or "?") if vals else "?"
        ext = values.get(schema.key)
        key = (values.get("parliament"), ext) if schema is PARLIAMENTARIANS else ext
        shown_key = str(ext or (f"id {values['_id']}" if values.get("_id") else ""))
        obj = None
        if not errors:
            if ext:
                obj = by_key.get(key)
            elif values.get("_id"):
                obj = by_id.get(values["_id"])
                if obj is not None and getattr(obj, schema.key):
                    errors.append(_("%(key)s: empty, but record id %(id)d has %(key)s '%(value)s': is this file from "
                                    "another database?", key=schema.key, id=obj.id, value=getattr(obj, schema.key)))
                key = ("id", values["_id"])
            else:
                errors.append(_("%(key)s: is empty (and there is no id): it is what makes re-importing safe",
                                key=schema.key))
        if not errors and key in seen:
            errors.append(_("%(key)s: the same record appears twice in the file", key=schema.key))
        if errors:
            report.rows.append(RowResult(line, shown_key, "error", label, error="\n".join(errors)))
            continue
        seen.add(key)
        if members is not None:
            members.row(line, shown_key, label, obj, values, new_objects)
            pending += 1
        else:
            fac_spec = values.pop("_facility", None)
            status = values.pop("_status", None)
            values.pop("_id", None)
            facility = facilities.resolve(fac_spec) if fac_spec is not None else False
            if obj is None:
                report.rows.append(RowResult(line, shown_key, "new" if update_mode else "create", label))
                if write and f"{shown_key}:new" not in skip:
                    obj = model(**values)  # not added to the session: created in bulk below
                    _set_facility(obj, facility, facilities if fac_spec is not None else None, report, line)
                    if status is not None:
                        apply_imported_status(obj, status, on=values.get("status_on"), today=today, is_new=True)
                    new_objects.append(obj)
            else:
                changes = _diff(obj, values)
                if facility is not False:
                    old = obj.facility.name if obj.facility else None
                    new = facility.name if isinstance(facility, Facility) else (facility or {}).get("name")
                    if (facility is None and obj.facility_id is not None) or (facility is not None and (
                            not isinstance(facility, Facility) or facility.id != obj.facility_id)):
                        changes["facility"] = [old, new]
                if status is not None and status != obj.status:
                    changes["status"] = [obj.status.value, status.value]
                if update_mode:
                    lines = classify_changes(changes)
                    for action, fields in lines.items():
                        report.rows.append(RowResult(line, shown_key, action, label, fields))
                    if not lines:
                        report.rows.append(RowResult(line, shown_key, "unchanged", label))
                    dropped = {f for action, fields in lines.items() if f"{shown_key}:{action}" in skip for f in fields}
                    if dropped:
                        values = {k: v for k, v in values.items() if k not in dropped}
                        changes = {k: v for k, v in changes.items() if k not in dropped}
                        status = None if "status" in dropped else status
                        if "facility" in dropped:
                            facility, fac_spec = False, None
                else:
                    report.rows.append(RowResult(line, shown_key, "update" if changes else "unchanged", label, changes))
                if write and changes:
                    for k, v in values.items():
                        setattr(obj, k, v)
                    _set_facility(obj, facility, facilities if fac_spec is not None else None, report, line)
                    if status is not None:
                        apply_imported_status(obj, status, on=values.get("status_on"), today=today, is_new=False)
                    pending += 1
        if write and pending >= 2000:
            db.session.flush()
            pending = 0
        if write and len(new_objects) >= BULK_CHUNK and not report.errors:
            bulk_create(model, new_objects)
            new_objects = []
        if progress and (done % 2000 == 0 or done == total):
            progress(done, total)
    if schema is not PARLIAMENTARIANS:
        report.facilities = sorted(facilities.new.values(), key=lambda p: p["name"].casefold())
        for p in report.undecided_facilities:
            report.notes.append(_("Facility '%(name)s' is new but close to an existing one: choose merge or create.",
                                  name=p["name"]))
    report.keys = sorted(k for k in seen if isinstance(k, str))
    if update_mode and previous_keys is not None:
        for gone in sorted(set(previous_keys) - seen):
            obj = by_key.get(gone)
            report.rows.append(RowResult(0, gone, "missing", obj.name if obj else gone, {}, error=_(
                "On the previous list from this source, not on this one. Nothing was changed: check what happened "
                "(release, death, a mistake in the list) and update the record by hand.")))
    if members is not None:
        members.finish()
        if end_missing:
            members.end_missing(everyone, seen)
    if write and not report.errors:
        bulk_create(model, new_objects)
        if members is not None:
            members.add_new_mandates()
        db.session.flush()
    return report


class _Members:
    """The parliamentarian side of an import: person fields, the mandate of the row's term,
    group names mapped to the EP's canonical groups, conflicts with newer lists, and members
    missing from the list."""

    def __init__(self, report: Report, *, write: bool, listed_on: dt.date, today: dt.date):
        self.report, self.write, self.listed_on, self.today = report, write, listed_on, today
        self.unknown_groups = {}  # group name as written → lines
        self.misplaced_groups = {}  # (group, term) → lines
        self.parliaments = set()
        self.new_mandates = []  # (member not yet inserted, its mandate)

    def _group(self, spec: MandateSpec, line: int) -> None:
        if spec.parliament != EUROPEAN_PARLIAMENT or not spec.political_group:
            return
        canonical = ep_groups.canonical_group(spec.political_group)
        if canonical is None:
            self.unknown_groups.setdefault(spec.political_group, []).append(line)
            return
        term = mandates.term_of(spec, self.listed_on)
        if term.isdigit() and not ep_groups.existed_in(canonical, int(term)):
            self.misplaced_groups.setdefault((canonical, term), []).append(line)
        spec.political_group = canonical

    def row(self, line, shown_key, label, obj, values, new_objects):
        spec = values.pop("_mandate")
        values.pop("_id", None)
        self.parliaments.add(spec.parliament)
        self._group(spec, line)
        existing, term, m_changes, m_conflicts, spec = mandates.plan(obj, spec, source_on=self.listed_on, today=self.today)
        if obj is None:
            self.report.rows.append(RowResult(line, shown_key, "create", label, m_changes))
            if self.write:
                obj = Parliamentarian(**values, listed_on=self.listed_on)
                self.new_mandates.append((obj, mandates.apply(obj, None, term, spec, source_on=self.listed_on,
                                                               today=self.today)))
                new_objects.append(obj)
            return
        older = obj.listed_on is not None and obj.listed_on > self.listed_on
        person = _diff(obj, values)
        conflicts = dict(m_conflicts)
        if older:
            conflicts.update(person)
            person = {}
        changes = {**person, **m_changes}
        self.report.rows.append(RowResult(line, shown_key, "update" if changes else "unchanged", label, changes))
        if conflicts:
            newer = max(filter(None, [obj.listed_on if older else None, existing.source_on if existing else None]))
            self.report.rows.append(RowResult(
                line, shown_key, "conflict", label, conflicts,
                error=_("This list (%(date)s) is older than the one that set these values (%(newer)s): they are "
                        "kept as they are.", date=self.listed_on.isoformat(), newer=newer.isoformat())))
        if self.write and changes:
            for k in person:
                setattr(obj, k, values[k])
            if person or obj.listed_on is None or not older:
                obj.listed_on = max(filter(None, (obj.listed_on, self.listed_on)))
            if m_changes:
                mandates.apply(obj, existing, term, spec, source_on=self.listed_on, today=self.today)

    def finish(self):
        for name, lines in sorted(self.unknown_groups.items()):
            self.report.notes.append(ngettext(
                "Warning: '%(name)s' is not a European Parliament group we know (line(s) %(lines)s); it is kept as "
                "written. Check the spelling, or add the name to advocacy/parliamentarians/ep_groups.py.",
                "Warning: '%(name)s' is not a European Parliament group we know (line(s) %(lines)s); it is kept as "
                "written. Check the spelling, or add the name to advocacy/parliamentarians/ep_groups.py.",
                len(lines), name=name, lines=_lines(lines)))
        for (group, term), lines in sorted(self.misplaced_groups.items()):
            self.report.notes.append(ngettext(
                "Warning: the group %(group)s did not sit in the EP's term %(term)s (line(s) %(lines)s): is the "
                "list's date right?",
                "Warning: the group %(group)s did not sit in the EP's term %(term)s (line(s) %(lines)s): is the "
                "list's date right?", len(lines), group=group, term=term, lines=_lines(lines)))

    def end_missing(self, everyone, seen):
        """Members of the file's parliaments who are not in it leave the day before the list's
        date, unless a newer list set them or they have no running mandate."""
        last_day = self.listed_on - dt.timedelta(days=1)
        for m in everyone:
            if (m.parliament not in self.parliaments or (m.parliament, m.external_id) in seen
                    or ("id", m.id) in seen or m.is_archived or not m.has_current_mandate(self.listed_on)):
                continue
            cur = mandates.current(m, self.listed_on)
            newer = m.listed_on if (m.listed_on and m.listed_on > self.listed_on) else (
                cur.source_on if cur is not None and cur.source_on and cur.source_on > self.listed_on else None)
            key = m.external_id or f"id {m.id}"
            if newer is not None:
                self.report.rows.append(RowResult(0, key, "conflict", m.full_name, {}, error=_(
                    "Missing from this list, but a newer list (%(date)s) has this member: not marked as having "
                    "left.", date=newer.isoformat())))
                continue
            ends_on = max(last_day, m.mandate_start_on) if m.mandate_start_on else last_day
            self.report.rows.append(RowResult(0, key, "left", m.full_name, {
                "mandate_end_on": [m.mandate_end_on.isoformat() if m.mandate_end_on else None, ends_on.isoformat()]}))
            if self.write:
                if cur is None:
                    mandates.record_from_fields(m, today=self.listed_on)
                    cur = mandates.current(m, self.listed_on)
                mandates.end(m, cur, on=ends_on, source_on=self.listed_on, today=self.today)

    def add_new_mandates(self):
        for member, mandate in self.new_mandates:
            mandate.parliamentarian_id = member.id
            db.session.add(mandate)
        self.new_mandates = []


def _lines(lines: list) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    if len(lines) > 10:
        return ngettext("%(lines)s and %(num)s more", "%(lines)s and %(num)s more", len(lines) - 10, lines=shown)
    return shown


BULK_CHUNK = 5000


def bulk_create(model, objects: list) -> None:
    """Insert new records in bulk (COPY on PostgreSQL): the ORM's one INSERT and one audit
    change-set per object made a 100,000-row import take minutes. The model's own
    ``before_insert`` rules still run on each object (search text, no consent → private, …),
    column defaults are applied, and the audit gets the same CREATE entries as from the hook.
    Flushes; the caller commits."""
    from sqlalchemy import inspect as sa_inspect

    from advocacy.audit.services import record_bulk_creation
    from advocacy.public.services import note_bulk_insert
    from advocacy.sql import allocate_ids, bulk_insert

    if not objects:
        return
    db.session.flush()  # facilities created by this import get their ids
    mapper = sa_inspect(model)
    table = model.__table__
    conn = db.session.connection()
    defaults = [(col.key, col.default) for col in table.columns]
    has_facility = hasattr(model, "facility")
    before_insert = mapper.dispatch.before_insert
    rows = []
    for obj, new_id in zip(objects, allocate_ids(table, len(objects))):
        before_insert(mapper, conn, sa_inspect(obj))  # as a flush calls them
        if has_facility and obj.facility is not None:
            obj.facility_id = obj.facility.id
        values = obj.__dict__
        row = {}
        for key, default in defaults:
            value = values.get(key)
            if value is None and default is not None:
                value = default.arg(None) if default.is_callable else default.arg
            row[key] = value
        row["id"] = new_id
        obj.id = new_id  # for rows that refer to it (a new member's mandates)
        rows.append(row)
    bulk_insert(table, rows)
    record_bulk_creation(model, rows)
    # The bulk path skips the flush hook that keeps search spellings current: index them here.
    from advocacy.names.services import bulk_index

    bulk_index(model, [(row["id"], obj) for row, obj in zip(rows, objects)])
    note_bulk_insert(model, [r["id"] for r in rows])  # the COPY passes no ORM event


def _set_facility(obj, facility, facilities, report, line):
    if facilities is None or facility is False:
        return
    if facility is None:
        obj.facility = None
    elif isinstance(facility, Facility):
        obj.facility = facility
    elif facility["choice"] == "create":
        obj.facility = facilities.materialise(facility)
    else:  # undecided: the caller refuses to commit (report.undecided_facilities)
        obj.facility = None
