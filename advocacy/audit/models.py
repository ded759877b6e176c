from sqlalchemy import Index
from flask_babel import lazy_gettext as _l

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class AuditAction(LabelledEnum):
    CREATE = ("create", _l("Created"))
    UPDATE = ("update", _l("Updated"))
    DELETE = ("delete", _l("Deleted"))


class AuditEntry(db.Model):
    """Who changed what, when. Written by the flush hook in ``advocacy.audit.services``."""

    __tablename__ = "audit_entries"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    actor = db.Column(db.String(254), nullable=False)  # user email, "cli", "scheduler", "api:<token>"
    action = db.Column(enum_type(AuditAction), nullable=False)
    object_type = db.Column(db.String(64), nullable=False)
    object_id = db.Column(db.Integer, nullable=False)
    changes = db.Column(db.JSON, nullable=False, default=dict)

    user = db.relationship("User")

    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
        Index("ix_audit_entries_created_at", "created_at"),
    )
