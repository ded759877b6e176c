"""Imports as rows: the uploaded file (kept on disk under ``IMPORT_UPLOAD_DIR``, never in a
database row), its check (computed once, row by row, stored for paginated review) and the job
state that the scheduler process (or `flask import run-jobs`) works through. Column mappings
that staff chose are kept per source, for the next file from there."""
from sqlalchemy import Index, UniqueConstraint
from flask_babel import lazy_gettext as _l

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class ImportState(LabelledEnum):
    QUEUED_CHECK = ("queued_check", _l("Waiting to be checked"))
    CHECKING = ("checking", _l("Being checked"))
    CHECKED = ("checked", _l("Checked: waiting for your decision"))
    REFUSED = ("refused", _l("The file cannot be read"))
    QUEUED_COMMIT = ("queued_commit", _l("Waiting to be imported"))
    COMMITTING = ("committing", _l("Being imported"))
    DONE = ("done", _l("Imported"))
    FAILED = ("failed", _l("Import failed: nothing was written"))


QUEUED = (ImportState.QUEUED_CHECK, ImportState.QUEUED_COMMIT)
RUNNING = (ImportState.CHECKING, ImportState.COMMITTING)


class ImportBatch(db.Model):
    __tablename__ = "import_batches"

    id = db.Column(db.String(32), primary_key=True)  # random, unguessable
    kind = db.Column(db.String(32), nullable=False)
    #: where the file comes from ("viasna", "ep"): column mappings are remembered per source
    source = db.Column(db.String(120), nullable=False, default="")
    filename = db.Column(db.String(255), nullable=False)
    #: file name inside IMPORT_UPLOAD_DIR
    stored_name = db.Column(db.String(80), nullable=False)
    size = db.Column(db.BigInteger, nullable=False, default=0)
    options = db.Column(db.JSON, nullable=False, default=dict)
    #: normalised header → column name ("" = ignore), as chosen for this file
    mapping = db.Column(db.JSON, nullable=False, default=dict)
    #: new facility name → "create" or an existing facility id, as chosen by staff
    facility_choices = db.Column(db.JSON, nullable=False, default=dict)
    state = db.Column(enum_type(ImportState), nullable=False, default=ImportState.QUEUED_CHECK)
    rows_total = db.Column(db.Integer, nullable=False, default=0)
    rows_done = db.Column(db.Integer, nullable=False, default=0)
    #: the check's findings: summary counts, ignored columns, new facilities with candidates, notes
    summary = db.Column(db.JSON)
    findings = db.Column(db.JSON)
    error = db.Column(db.Text)  # why the file was refused or the import failed
    #: the records' keys this file held, stored when it was imported: the next list from the
    #: same source shows who disappeared from it
    seen_keys = db.Column(db.JSON)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    checked_at = db.Column(UTCDateTime)
    committed_at = db.Column(UTCDateTime)

    rows = db.relationship("ImportRow", back_populates="batch", cascade="all, delete-orphan", passive_deletes=True,
                           lazy="dynamic")

    __table_args__ = (Index("ix_import_batches_state", "state"), Index("ix_import_batches_created_by_id", "created_by_id"))


class ImportRow(db.Model):
    """One row of the check that needs a look: an error, a creation or an update (unchanged
    rows are only counted). ``rank`` orders errors first."""

    __tablename__ = "import_rows"

    id = db.Column(db.Integer, primary_key=True)
    batch_id = db.Column(db.String(32), db.ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False)
    rank = db.Column(db.SmallInteger, nullable=False)  # 0 error, 1 create, 2 update
    line = db.Column(db.Integer, nullable=False)
    action = db.Column(db.String(16), nullable=False)
    key = db.Column(db.String(200), nullable=False, default="")
    label = db.Column(db.String(300), nullable=False, default="")
    changes = db.Column(db.JSON)
    error = db.Column(db.Text)

    batch = db.relationship("ImportBatch", back_populates="rows")

    __table_args__ = (Index("ix_import_rows_batch_rank_line", "batch_id", "rank", "line"),)


class ImportColumnMapping(db.Model):
    """A column name of some source's files and the column it means here ("" = ignore it)."""

    __tablename__ = "import_column_mappings"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(32), nullable=False)
    source = db.Column(db.String(120), nullable=False)
    header = db.Column(db.String(200), nullable=False)
    column = db.Column(db.String(64), nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("kind", "source", "header", name="uq_import_column_mappings_kind_source_header"),)
