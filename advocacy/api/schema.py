"""The API's resources, described once: the same description validates requests, serialises
responses and produces the OpenAPI document, so the document cannot drift from the API."""
import dataclasses
import zoneinfo
import datetime as dt
from enum import Enum

import pycountry
from sqlalchemy import select

from advocacy.i18n import LANGUAGES
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Chamber, Parliamentarian
from advocacy.prisoners.models import Gender, KeyDate, KeyDateKind, Prisoner, PrisonerStatus, Visibility
from advocacy.statements.models import Statement, StatementKind


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | boolean | date | time | datetime
    required: bool = False  # on create
    nullable: bool = True
    max_length: int | None = None
    enum: type[Enum] | None = None
    choices: tuple | None = None  # allowed string values when not an Enum (countries, time zones)
    minimum: int | None = None
    maximum: int | None = None
    read_only: bool = False
    create_only: bool = False  # may be set on create, not changed by PATCH
    description: str | None = None


def F(*a, **kw):
    return Field(*a, **kw)


COUNTRIES = tuple(sorted(c.alpha_2 for c in pycountry.countries))
TIME_ZONES = tuple(sorted(zoneinfo.available_timezones()))
INT_MAX = 2_147_483_647  # the database's integer column

ID = F("id", "integer", nullable=False, read_only=True)
CREATED = F("created_at", "datetime", nullable=False, read_only=True)


@dataclasses.dataclass(frozen=True)
class Resource:
    name: str
    model: type
    fields: tuple
    title: str

    @property
    def writable(self):
        return [f for f in self.fields if not f.read_only]


#: resources whose list takes ``q=``: the name search of their register (advocacy.names)
SEARCHABLE = {"prisoners": "prisoner", "parliamentarians": "parliamentarian"}
MAX_QUERY = 200

RESOURCES = {r.name: r for r in [
    Resource("prisoners", Prisoner, (
        ID, F("name", "string", required=True, nullable=False, max_length=200),
        F("alt_names", "string", nullable=False, max_length=2000, description="Other spellings, one per line"),
        F("birth_date", "date"), F("birth_year", "integer", minimum=1900, maximum=2030),
        F("gender", "string", enum=Gender), F("city", "string", max_length=120), F("region", "string", max_length=120),
        F("occupation", "string", max_length=200), F("languages", "string", nullable=False, max_length=100),
        F("detained_on", "date"), F("articles", "string", max_length=300), F("court", "string", max_length=200),
        F("judge", "string", max_length=200), F("verdict_on", "date"), F("sentence_text", "string", max_length=300),
        F("sentence_months", "integer", minimum=0, maximum=1200), F("release_expected_on", "date"),
        F("facility_id", "integer", minimum=1), F("status", "string", nullable=False, enum=PrisonerStatus),
        F("status_on", "date"), F("is_humanitarian", "boolean", nullable=False),
        F("risk_serious_illness", "boolean", nullable=False), F("risk_disability", "boolean", nullable=False),
        F("risk_over_60", "boolean", nullable=False), F("risk_mental_disorder", "boolean", nullable=False),
        F("risk_large_family", "boolean", nullable=False), F("incommunicado_since", "date"),
        F("source_id", "string", max_length=100), F("source_url", "string", max_length=500),
        F("has_family_consent", "boolean", nullable=False),
        F("visibility", "string", nullable=False, enum=Visibility, description="Forced to private without family consent"),
        F("is_archived", "boolean", nullable=False), CREATED), "Prisoner"),
    Resource("key_dates", KeyDate, (
        ID, F("prisoner_id", "integer", required=True, nullable=False, minimum=1, create_only=True),
        F("kind", "string", required=True, nullable=False, enum=KeyDateKind),
        F("occurs_on", "date", required=True, nullable=False), F("occurs_at_time", "time"),
        F("place", "string", max_length=300), F("note", "string", max_length=2000),
        F("is_yearly", "boolean", nullable=False), CREATED), "Key date"),
    Resource("parliamentarians", Parliamentarian, (
        ID, F("full_name", "string", required=True, nullable=False, max_length=200),
        F("parliament", "string", nullable=False, max_length=120), F("chamber", "string", nullable=False, enum=Chamber),
        F("country", "string", required=True, nullable=False, max_length=2, description="ISO 3166-1 alpha-2",
          choices=COUNTRIES),
        F("political_group", "string", max_length=120), F("national_party", "string", max_length=200),
        F("email", "string", max_length=254), F("languages", "string", nullable=False, max_length=100),
        F("committees", "string", nullable=False, max_length=2000),
        F("time_zone", "string", nullable=False, max_length=64, description="IANA time zone", choices=TIME_ZONES),
        F("locale", "string", max_length=8, choices=tuple(LANGUAGES),
          description="Language of their mail; null: their country's language"),
        F("external_id", "string", max_length=64), F("mandate_start_on", "date"), F("mandate_end_on", "date"),
        F("is_archived", "boolean", nullable=False), CREATED), "Parliamentarian"),
    Resource("pairings", Pairing, (
        ID, F("parliamentarian_id", "integer", required=True, nullable=False, minimum=1, create_only=True),
        F("prisoner_id", "integer", required=True, nullable=False, minimum=1, create_only=True),
        F("status", "string", nullable=False, enum=PairingStatus,
          description="Create as active or invited; PATCH to ended (with end_reason) ends it"),
        F("started_on", "date", read_only=True), F("ended_on", "date"), F("end_reason", "string", enum=EndReason),
        F("end_note", "string", max_length=500), CREATED), "Pairing"),
    Resource("statements", Statement, (
        ID, F("pairing_id", "integer", required=True, nullable=False, minimum=1, create_only=True),
        F("made_on", "date", required=True, nullable=False), F("kind", "string", required=True, nullable=False, enum=StatementKind),
        F("title", "string", required=True, nullable=False, max_length=300), F("url", "string", max_length=1000),
        F("summary", "string", max_length=5000), F("language", "string", max_length=8),
        F("is_public", "boolean", nullable=False), F("verified_at", "datetime", read_only=True), CREATED), "Statement"),
]}


class ValidationFailed(ValueError):
    def __init__(self, fields: dict):
        super().__init__("The request body is not valid.")
        self.fields = fields


def _check(f: Field, value):
    if value is None:
        if not f.nullable:
            raise ValueError("may not be null")
        return None
    t = f.type
    if t == "string":
        if not isinstance(value, str):
            raise ValueError("must be a string")
        if "\x00" in value:
            raise ValueError("may not contain NUL characters")
        if f.max_length and len(value) > f.max_length:
            raise ValueError(f"must be at most {f.max_length} characters")
        if f.choices is not None and value not in f.choices:
            raise ValueError("is not one of the allowed values (see the OpenAPI document)")
        if f.enum is not None:
            if value not in f.enum._value2member_map_:
                raise ValueError(f"must be one of: {', '.join(f.enum._value2member_map_)}")
            return f.enum(value)
        return value
    if t == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer")
        low = f.minimum if f.minimum is not None else -INT_MAX
        high = f.maximum if f.maximum is not None else INT_MAX
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value
    if t == "boolean":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if t in ("date", "time"):
        if not isinstance(value, str):
            raise ValueError(f"must be an ISO {t} string")
        try:
            parsed = (dt.date if t == "date" else dt.time).fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be an ISO {t} ({'YYYY-MM-DD' if t == 'date' else 'HH:MM'})") from None
        if t == "date" and not dt.date(1900, 1, 1) <= parsed <= dt.date(2100, 12, 31):
            raise ValueError("must be between 1900-01-01 and 2100-12-31")
        return parsed
    raise ValueError("cannot be set")


def validate(resource: Resource, body, *, partial: bool) -> dict:
    if not isinstance(body, dict):
        raise ValidationFailed({"_body": "must be a JSON object"})
    known = {f.name: f for f in resource.fields}
    errors, out = {}, {}
    for key, value in body.items():
        f = known.get(key)
        if f is None:
            errors[key] = "unknown field"
        elif f.read_only:
            errors[key] = "is read-only"
        elif partial and f.create_only:
            errors[key] = "cannot be changed after creation"
        else:
            try:
                out[key] = _check(f, value)
            except ValueError as exc:
                errors[key] = str(exc)
    if not partial:
        for f in resource.fields:
            if f.required and f.name not in body:
                errors[f.name] = "is required"
    if errors:
        raise ValidationFailed(errors)
    return out


def dump(resource: Resource, obj) -> dict:
    out = {}
    for f in resource.fields:
        v = getattr(obj, f.name)
        if isinstance(v, Enum):
            v = v.value
        elif isinstance(v, (dt.date, dt.datetime, dt.time)):
            v = v.isoformat()
        out[f.name] = v
    return out


# -- what a read_public token sees ---------------------------------------------------------------
#: per resource, the fields the public campaign pages show; prisoners by their random public id
PUBLIC_FIELDS = {
    "prisoners": ("public_id", "name", "status", "detained_on", "sentence_text", "occupation", "is_humanitarian"),
    "parliamentarians": ("id", "full_name", "parliament", "country", "political_group"),
    "pairings": ("id", "parliamentarian_id", "prisoner_public_id", "started_on"),
    "statements": ("prisoner_public_id", "parliamentarian_id", "made_on", "kind", "title", "url"),
}


def public_select(model):
    """The rows of ``model`` the public pages show (advocacy.public.services is the one definition)."""
    from advocacy.public import services as public

    if model is Prisoner:
        return public.public_prisoners_select()
    if model is Pairing:
        return public.public_pairings_select()
    if model is Statement:
        return public.public_statements_select()
    if model is Parliamentarian:
        return select(Parliamentarian).where(Parliamentarian.id.in_(
            public.public_pairings_select().with_only_columns(Pairing.parliamentarian_id)))
    raise TypeError(model)


def public_dump(resource: Resource, obj) -> dict:
    pairing = obj if isinstance(obj, Pairing) else getattr(obj, "pairing", None)
    values = {"prisoner_public_id": pairing.prisoner.public_id if pairing is not None else None,
              "parliamentarian_id": pairing.parliamentarian_id if pairing is not None else None}
    out = {}
    for name in PUBLIC_FIELDS[resource.name]:
        v = values[name] if name in values else getattr(obj, name)
        out[name] = v.value if isinstance(v, Enum) else v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
    return out


# -- OpenAPI ----------------------------------------------------------------------------------
def _prop(f: Field, for_write=False):
    base = {"string": {"type": "string"}, "integer": {"type": "integer"}, "boolean": {"type": "boolean"},
            "date": {"type": "string", "format": "date"}, "time": {"type": "string", "format": "time"},
            "datetime": {"type": "string", "format": "date-time"}}[f.type].copy()
    if f.max_length:
        base["maxLength"] = f.max_length
    if f.enum is not None:
        base["enum"] = list(f.enum._value2member_map_)
    if f.choices is not None:
        base["enum"] = list(f.choices)
    if f.minimum is not None:
        base["minimum"] = f.minimum
    if f.type == "integer":
        base["minimum"] = f.minimum if f.minimum is not None else -INT_MAX
        base["maximum"] = f.maximum if f.maximum is not None else INT_MAX
    if f.type == "date" and for_write:
        base["pattern"] = r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
    if f.type == "time" and for_write:
        base["pattern"] = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"
    if f.description:
        base["description"] = f.description
    if f.nullable:
        base["nullable"] = True
        if "enum" in base:
            base["enum"] = base["enum"] + [None]
    return base


ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                   "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}}


def openapi(server_url: str = "/api/v1") -> dict:
    schemas, paths = {"Error": ERROR}, {}
    err = lambda d: {"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}  # noqa: E731
    common_errors = {"401": err("Missing, invalid, expired or revoked token, or its owner lost the role"),
                     "400": err("Bad request"), "403": err("The token's scope does not allow this"),
                     "429": err("Too many requests (per token, and failed token checks per client)")}
    for r in RESOURCES.values():
        cap = r.title.replace(" ", "")
        schemas[cap] = {"type": "object", "required": [f.name for f in r.fields],
                        "properties": {f.name: _prop(f) for f in r.fields}}
        schemas[cap + "Create"] = {"type": "object", "additionalProperties": False,
                                   "required": [f.name for f in r.writable if f.required],
                                   "properties": {f.name: _prop(f, True) for f in r.writable}}
        schemas[cap + "Update"] = {"type": "object", "additionalProperties": False,
                                   "properties": {f.name: _prop(f, True) for f in r.writable if not f.create_only}}
        schemas[cap + "Page"] = {"type": "object", "required": ["items", "page", "per_page", "total"], "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{cap}"}},
            "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"}}}
        one = {"description": r.title, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{cap}"}}}}
        body = lambda s: {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{s}"}}}}  # noqa: E731
        id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
        paths[f"/{r.name}"] = {
            "get": {"operationId": f"list_{r.name}", "summary": f"List {r.name.replace('_', ' ')}", "tags": [r.name],
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
                                   {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                                   *([{"name": "q", "in": "query", "schema": {"type": "string", "maxLength": MAX_QUERY},
                                       "description": "Name search in any spelling or script (Kalesnikava, Kolesnikova, "
                                                      "Калеснікава); best match first"}]
                                     if r.name in SEARCHABLE else [])],
                    "responses": {"200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{cap}Page"}}}}, **common_errors}},
            "post": {"operationId": f"create_{r.name}", "summary": f"Create a {r.title.lower()}", "tags": [r.name],
                     "requestBody": body(cap + "Create"),
                     "responses": {"201": one, "404": err("A referenced object does not exist"),
                                   "409": err("Conflicts with existing data"), "422": err("Invalid fields"), **common_errors}},
        }
        paths[f"/{r.name}/{{id}}"] = {
            "parameters": [id_param],
            "get": {"operationId": f"get_{r.name}", "tags": [r.name], "responses": {"200": one, "404": err("Not found"), **common_errors}},
            "patch": {"operationId": f"update_{r.name}", "tags": [r.name], "requestBody": body(cap + "Update"),
                      "responses": {"200": one, "404": err("Not found"), "409": err("Conflict"), "422": err("Invalid fields"), **common_errors}},
            "delete": {"operationId": f"delete_{r.name}", "tags": [r.name],
                       "description": "Prisoners and parliamentarians are archived, pairings ended; the rest is deleted.",
                       "responses": {"204": {"description": "Done"}, "404": err("Not found"), "409": err("Conflict"), **common_errors}},
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Advocacy API", "version": "1.0.0",
                 "description": "Staff integrations: prisoners, key dates, parliamentarians, pairings, statements. "
                                "Authenticate with `Authorization: Bearer <token>` (tokens are issued by admins)."},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
        "paths": paths,
    }
