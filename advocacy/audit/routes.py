"""Audit log views (staff): the history of one object, and recent changes."""
from flask import abort, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.audit import bp
from advocacy.audit.models import AuditEntry
from advocacy.audit.services import entries_for
from advocacy.extensions import db
from advocacy.pagination import paginate
from advocacy.security import db_int, staff_required


def audited_types() -> set[str]:
    return {m.class_.__name__ for m in db.Model.registry.mappers if getattr(m.class_, "__audited__", False)}


@bp.route("/")
@staff_required
def list():
    stmt = select(AuditEntry).options(joinedload(AuditEntry.user)).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if request.args.get("type") in audited_types():
        stmt = stmt.where(AuditEntry.object_type == request.args["type"])
    if request.args.get("user", type=db_int):
        stmt = stmt.where(AuditEntry.user_id == request.args.get("user", type=db_int))
    return render_template("audit/list.html", page=paginate(stmt), types=sorted(audited_types()))


@bp.route("/<object_type>/<int:object_id>")
@staff_required
def object(object_type, object_id):
    if object_type not in audited_types():
        abort(404)
    return render_template("audit/object.html", object_type=object_type, object_id=object_id,
                           entries=entries_for(object_type, object_id, limit=500))
