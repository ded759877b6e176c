"""JSON API under /api/v1: token authentication, CRUD on the registers, OpenAPI document.

Errors are always JSON: ``{"error": {"code", "message", "fields"?}}``; nothing is half-written
(a request is one transaction, rolled back on any error)."""
import datetime as dt
import functools
import zoneinfo

import pycountry
from flask import abort, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from advocacy.security import db_int
from advocacy.api import bp
from advocacy.api.models import ApiToken, TokenScope
from advocacy.api.schema import (
    MAX_QUERY, PUBLIC_FIELDS, RESOURCES, SEARCHABLE, ValidationFailed, dump, openapi, public_dump, public_select, validate,
)
from advocacy.audit.services import acting_as
from advocacy.auth.throttle import client_key
from advocacy.db_types import utcnow
from advocacy.extensions import db, limiter
from advocacy.names import services as names
from advocacy.pairings import services as pairing_services
from advocacy.prisoners import services as prisoner_services
from advocacy.validators import check_email
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Facility, Prisoner
from advocacy.statements.models import Statement


class ApiError(Exception):
    def __init__(self, code: int, message: str, fields: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields


def error(code, message, fields=None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return jsonify(error=body), code


@bp.errorhandler(ApiError)
def _api_error(exc):
    db.session.rollback()
    return error(exc.code, exc.message, exc.fields)


@bp.errorhandler(ValidationFailed)
def _invalid(exc):
    db.session.rollback()
    return error(422, "Some fields are not valid.", exc.fields)


@bp.errorhandler(HTTPException)
def _http(exc):
    db.session.rollback()
    return error(exc.code, exc.description or exc.name)


def _token_key() -> str:
    header = request.headers.get("Authorization", "")
    return f"token:{ApiToken.hash(header[:300])[:24]}" if header else client_key()


# Per token, every request; per client, failed token checks only (no guessing tokens).
limiter.limit(lambda: current_app.config["API_LIMIT_TOKEN"], key_func=_token_key)(bp)
limiter.limit(lambda: current_app.config["API_LIMIT_FAILED_CLIENT"], key_func=client_key,
              deduct_when=lambda response: response.status_code == 401)(bp)


def token_required(view):
    """A valid token (not revoked, not expired, its owner active with the role it was made
    with) whose scope allows the method: read scopes only read, ``read_public`` only public data."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or len(header) > 300:
            raise ApiError(401, "Send 'Authorization: Bearer <token>'.")
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(header[7:].strip())))
        if token is None:
            raise ApiError(401, "This token is not valid.")
        now = utcnow()
        refusal = token.refusal(now)
        if refusal:
            raise ApiError(401, refusal)
        if not token.allows(request.method):
            raise ApiError(403, f"This token's scope ({token.scope.value}) does not allow {request.method}.")
        token.last_used_at = now
        g.api_token = token
        with acting_as(f"api:{token.name}", token.created_by_id):
            return view(*args, **kwargs)
    return wrapped


def _resource(name):
    if name not in RESOURCES:
        abort(404, "No such resource.")
    return RESOURCES[name]


def _body():
    if not request.is_json:
        raise ApiError(400, "Send a JSON body with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "The body is not valid JSON.")
    return body


def _public_only() -> bool:
    return g.api_token.scope == TokenScope.READ_PUBLIC


def _get(resource, obj_id):
    if _public_only():
        abort(403, "A read_public token can only list public data (GET /api/v1/<resource>).")
    return db.session.get(resource.model, obj_id) or abort(404, f"No {resource.title.lower()} with id {obj_id}.")


def _exists(model, obj_id, field):
    if db.session.get(model, obj_id) is None:
        raise ApiError(404, f"{field} {obj_id} does not exist.", {field: "does not exist"})


def _domain_checks(resource, values, obj=None):
    """Rules beyond types, the same the staff forms apply."""
    merged = {f.name: getattr(obj, f.name) for f in resource.fields if obj is not None and hasattr(obj, f.name)}
    merged.update(values)
    fields = {}
    if resource.model is Prisoner:
        if values.get("facility_id") is not None:
            _exists(Facility, values["facility_id"], "facility_id")
        born, detained = merged.get("birth_date"), merged.get("detained_on")
        if born and detained and detained < born:
            fields["detained_on"] = "is before birth_date"
        for f in ("birth_date", "detained_on", "verdict_on", "status_on", "incommunicado_since"):
            if values.get(f) and values[f] > dt.date.today():
                fields[f] = "cannot be in the future"
        if values.get("source_url") and not values["source_url"].lower().startswith(("http://", "https://")):
            fields["source_url"] = "must start with http:// or https://"
        if "name" in values and not values["name"].strip():
            fields["name"] = "may not be blank"
    elif resource.model is Parliamentarian:
        if "country" in values and pycountry.countries.get(alpha_2=(values["country"] or "").upper()) is None:
            fields["country"] = "must be an ISO 3166-1 alpha-2 code"
        elif "country" in values:
            values["country"] = values["country"].upper()
        if "time_zone" in values and values["time_zone"] not in zoneinfo.available_timezones():
            fields["time_zone"] = "must be an IANA time zone"
        if values.get("email"):
            try:
                values["email"] = check_email(values["email"])
            except ValueError as exc:
                fields["email"] = str(exc)
        if "full_name" in values and not values["full_name"].strip():
            fields["full_name"] = "may not be blank"
        start, end = merged.get("mandate_start_on"), merged.get("mandate_end_on")
        if start and end and end < start:
            fields["mandate_end_on"] = "is before mandate_start_on"
    elif resource.model is Statement:
        if values.get("url") and not values["url"].lower().startswith(("http://", "https://")):
            fields["url"] = "must start with http:// or https://"
        if values.get("made_on") and values["made_on"] > dt.date.today():
            fields["made_on"] = "cannot be in the future"
        if "title" in values and not values["title"].strip():
            fields["title"] = "may not be blank"
    if fields:
        raise ValidationFailed(fields)


def _commit():
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise ApiError(409, "This conflicts with existing data (a duplicate id or a unique value).") from exc


@bp.route("/openapi.json")
def openapi_document():
    return jsonify(openapi(request.script_root + "/api/v1"))


@bp.route("/<name>", methods=["GET"])
@token_required
def list_(name):
    resource = _resource(name)
    page = request.args.get("page", 1, type=db_int)
    per_page = request.args.get("per_page", 50, type=db_int)
    if page < 1 or not 1 <= per_page <= 200 or page > 100000:
        raise ApiError(400, "page must be ≥ 1 and per_page between 1 and 200.")
    if _public_only():
        if name not in PUBLIC_FIELDS:
            abort(403, f"A read_public token cannot read {name}.")
        stmt, dumper = public_select(resource.model), public_dump
    else:
        stmt, dumper = select(resource.model), dump
    query = request.args.get("q")
    if query is not None:
        if resource.name not in SEARCHABLE:
            raise ApiError(400, f"q (name search) works on {' and '.join(SEARCHABLE)} only.")
        if len(query) > MAX_QUERY:
            raise ApiError(400, f"q is at most {MAX_QUERY} characters.")
        # Best match first, in any spelling (see advocacy.names), as in the staff registers; a
        # read_public token searches the public rows only (the select above).
        stmt = names.apply(stmt, query, resource.model, SEARCHABLE[resource.name])
    pagination = db.paginate(stmt.order_by(resource.model.id), page=page, per_page=per_page, error_out=False)
    return jsonify(items=[dumper(resource, o) for o in pagination.items], page=page, per_page=per_page,
                   total=pagination.total)


@bp.route("/<name>", methods=["POST"])
@token_required
def create(name):
    resource = _resource(name)
    values = validate(resource, _body(), partial=False)
    _domain_checks(resource, values)
    model = resource.model
    if model is Pairing:
        parl = db.session.get(Parliamentarian, values["parliamentarian_id"])
        prisoner = db.session.get(Prisoner, values["prisoner_id"])
        if parl is None or prisoner is None:
            raise ApiError(404, "The parliamentarian or the prisoner does not exist.")
        status = values.get("status", PairingStatus.ACTIVE)
        try:
            obj = pairing_services.create_pairing(parl, prisoner, today=dt.date.today(), status=status, now=utcnow())
        except pairing_services.PairingError as exc:
            raise ApiError(409, str(exc)) from exc
    else:
        if model is Statement:
            _exists(Pairing, values["pairing_id"], "pairing_id")
        if model.__name__ == "KeyDate":
            _exists(Prisoner, values["prisoner_id"], "prisoner_id")
        obj = model(**values)
        db.session.add(obj)
    _commit()
    return jsonify(dump(resource, obj)), 201


@bp.route("/<name>/<int:obj_id>", methods=["GET"])
@token_required
def get(name, obj_id):
    resource = _resource(name)
    return jsonify(dump(resource, _get(resource, obj_id)))


@bp.route("/<name>/<int:obj_id>", methods=["PATCH"])
@token_required
def update(name, obj_id):
    resource = _resource(name)
    obj = _get(resource, obj_id)
    values = validate(resource, _body(), partial=True)
    _domain_checks(resource, values, obj)
    if resource.model is Pairing:
        status = values.pop("status", None)
        if status is not None and status != obj.status:
            if status != PairingStatus.ENDED:
                raise ApiError(409, "A pairing's status can only be changed to 'ended' here (invitations are answered in the portal).")
            try:
                pairing_services.end_pairing(obj, reason=values.pop("end_reason", None) or EndReason.OTHER,
                                             on=values.pop("ended_on", None) or dt.date.today(), note=values.pop("end_note", None))
            except pairing_services.PairingError as exc:
                raise ApiError(409, str(exc)) from exc
        elif {"end_reason", "ended_on"} & values.keys() and obj.is_open:
            raise ApiError(409, "Set status to 'ended' to end a pairing.")
    new_status = values.pop("status", None) if resource.model is Prisoner else None
    status_on = values.pop("status_on", None) if new_status is not None else None
    for k, v in values.items():
        setattr(obj, k, v)
    if new_status is not None:
        # The one status service: a release ends the pairings, cancels their reminders and
        # queues the right mail, exactly as the staff form does.
        try:
            prisoner_services.change_status(obj, new_status, on=status_on or dt.date.today(), now=utcnow(),
                                            note="Changed through the API")
        except prisoner_services.PrisonerError as exc:
            raise ApiError(422, str(exc)) from exc
    _commit()
    return jsonify(dump(resource, obj))


@bp.route("/<name>/<int:obj_id>", methods=["DELETE"])
@token_required
def delete(name, obj_id):
    resource = _resource(name)
    obj = _get(resource, obj_id)
    if resource.model in (Prisoner, Parliamentarian):
        obj.is_archived = True
    elif resource.model is Pairing:
        if not obj.is_open:
            raise ApiError(409, "This pairing has already ended.")
        pairing_services.end_pairing(obj, reason=EndReason.OTHER, on=max(dt.date.today(), obj.started_on or dt.date.today()))
    else:
        db.session.delete(obj)
    _commit()
    return "", 204
