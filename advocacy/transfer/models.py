"""An uploaded file waiting for staff to confirm its import (kept server-side between the
dry run and the confirmation, never in the session cookie)."""
from advocacy.db_types import UTCDateTime, utcnow
from advocacy.extensions import db


class ImportBatch(db.Model):
    __tablename__ = "import_batches"

    id = db.Column(db.String(32), primary_key=True)  # random, unguessable
    kind = db.Column(db.String(32), nullable=False)
    filename = db.Column(db.String(255), nullable=False)
    content = db.Column(db.LargeBinary, nullable=False)
    options = db.Column(db.JSON, nullable=False, default=dict)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    committed_at = db.Column(UTCDateTime)
    summary = db.Column(db.JSON)
