"""Audit log views (staff): recent changes with filters, and the history of one object."""
import datetime as dt

from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.audit import bp
from advocacy.audit.models import AuditAction, AuditEntry
from advocacy.audit.readable import audited_models, objects_named, readable, type_label
from advocacy.audit.services import entries_for
from advocacy.auth.models import User
from advocacy.extensions import db
from advocacy.pagination import paginate
from advocacy.security import db_int, staff_required
from advocacy.templating import viewer_time_zone


def _day(name):
    """A ?from= / ?to= date, or None (a malformed one is ignored, as other list filters are)."""
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filtered(args):
    stmt = select(AuditEntry).options(joinedload(AuditEntry.user)).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    types = audited_models()
    if args.get("type") in types:
        stmt = stmt.where(AuditEntry.object_type == args["type"])
    who = args.get("who", "")
    if who.startswith("u") and who[1:].isdigit():
        stmt = stmt.where(AuditEntry.user_id == db_int(who[1:]))
    elif who.startswith("a:"):
        stmt = stmt.where(AuditEntry.user_id.is_(None), AuditEntry.actor == who[2:])
    if args.get("action") in AuditAction._value2member_map_:
        stmt = stmt.where(AuditEntry.action == args["action"])
    if args.get("object", "").strip():
        stmt = stmt.where(objects_named(args["object"].strip(), args.get("type") if args.get("type") in types else None))
    zone = viewer_time_zone()
    if (start := _day("from")) is not None:
        stmt = stmt.where(AuditEntry.created_at >= dt.datetime.combine(start, dt.time(), zone).astimezone(dt.timezone.utc))
    if (end := _day("to")) is not None:
        stmt = stmt.where(AuditEntry.created_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
                          .astimezone(dt.timezone.utc))
    return stmt


def _people():
    users = db.session.scalars(select(User).where(User.id.in_(select(AuditEntry.user_id).distinct()))
                               .order_by(User.name)).all()
    actors = db.session.scalars(select(AuditEntry.actor).where(AuditEntry.user_id.is_(None)).distinct()
                                .order_by(AuditEntry.actor)).all()
    return [(f"u{u.id}", f"{u.name} ({u.email})") for u in users] + [(f"a:{a}", a) for a in actors]


@bp.route("/")
@staff_required
def list():
    page = paginate(_filtered(request.args), per_page=30)
    types = sorted(((name, type_label(name)) for name in audited_models()), key=lambda t: t[1])
    return render_template("audit/list.html", page=page, entries=readable(page.items), types=types,
                           people=_people(), actions=AuditAction, zone=viewer_time_zone().key)


@bp.route("/<object_type>/<int:object_id>")
@staff_required
def object(object_type, object_id):
    if object_type not in audited_models():
        abort(404)
    entries = readable(entries_for(object_type, object_id, limit=500))
    name = entries[0].object_name if entries else _("%(type)s #%(id)s", type=type_label(object_type), id=object_id)
    return render_template("audit/object.html", object_type=object_type, object_id=object_id, name=name,
                           type_label=type_label(object_type), entries=entries, zone=viewer_time_zone().key)
