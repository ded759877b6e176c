"""The one audit hook: every flush of a model marked ``__audited__ = True`` records who changed
what. It runs inside the same transaction as the change, so a rolled-back change leaves no
audit entry and a committed one always has one.

The actor is the logged-in user in a request; elsewhere (CLI, scheduler, API) the caller names
itself with ``acting_as``.
"""
import contextlib
import contextvars
import datetime as dt
import decimal
import enum

from flask import current_app, has_request_context
from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session

from advocacy.audit.models import AuditAction, AuditEntry
from advocacy.db_types import utcnow

_actor: contextvars.ContextVar[tuple[int | None, str] | None] = contextvars.ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def acting_as(label: str, user_id: int | None = None):
    """Attribute changes made inside the block to ``label`` (e.g. "cli", "scheduler")."""
    token = _actor.set((user_id, label))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    explicit = _actor.get()
    if explicit is not None:
        return explicit
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.email
        return None, "anonymous"
    return None, "system"


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _column_changes(obj, action: AuditAction) -> dict:
    state = inspect(obj)
    exclude = getattr(obj, "__audit_exclude__", set()) | {"created_at", "updated_at", "search_text"}
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in exclude:
            continue
        hist = state.attrs[key].history
        if action == AuditAction.CREATE:
            value = getattr(obj, key)
            if value is not None and key != "id":
                changes[key] = [None, _jsonable(value)]
        elif action == AuditAction.DELETE:
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            if value is not None and key != "id":
                changes[key] = [_jsonable(value), None]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


def _audited(obj) -> bool:
    return getattr(type(obj), "__audited__", False)


def _after_flush(session: Session, flush_context) -> None:
    try:
        if not current_app.config.get("AUDIT_ENABLED", True):
            return
    except RuntimeError:  # no app context: nothing to attribute
        return
    user_id, actor = current_actor()
    now = utcnow()
    rows = []
    for objs, action in (
        (session.new, AuditAction.CREATE),
        (session.dirty, AuditAction.UPDATE),
        (session.deleted, AuditAction.DELETE),
    ):
        for obj in objs:
            if not _audited(obj):
                continue
            if action == AuditAction.UPDATE and not session.is_modified(obj, include_collections=False):
                continue
            changes = _column_changes(obj, action)
            if action == AuditAction.UPDATE and not changes:
                continue
            rows.append(
                dict(created_at=now, user_id=user_id, actor=actor[:254], action=action,
                     object_type=type(obj).__name__, object_id=inspect(obj).mapper.primary_key_from_instance(obj)[0], changes=changes)
            )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def install() -> None:
    """Attach the hook to every Session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def entries_for(object_type: str, object_id: int, limit: int = 200):
    from advocacy.extensions import db

    return db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()


def record_bulk_creation(model, rows: list[dict]) -> None:
    """The CREATE entries the flush hook would write, for rows inserted in bulk (which bypass
    the hook): same actor, same shape of ``changes``. Every row must carry its ``id``."""
    from advocacy.sql import bulk_insert

    try:
        if not current_app.config.get("AUDIT_ENABLED", True):
            return
    except RuntimeError:
        return
    user_id, actor = current_actor()
    now = utcnow()
    exclude = getattr(model, "__audit_exclude__", set()) | {"created_at", "updated_at", "search_text", "id"}
    bulk_insert(AuditEntry.__table__, [
        dict(created_at=now, user_id=user_id, actor=actor[:254], action=AuditAction.CREATE, object_type=model.__name__,
             object_id=row["id"], changes={k: [None, v if type(v) in _PLAIN else _jsonable(v)]
                                           for k, v in row.items() if v is not None and k not in exclude})
        for row in rows])


_PLAIN = (str, int, bool, float)  # already JSON: skip _jsonable's checks (100,000-row imports)
