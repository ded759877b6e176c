"""Import jobs: checking and committing uploaded files outside the web request.

An upload only stores the file (on disk, under IMPORT_UPLOAD_DIR) and queues an ImportBatch.
The scheduler process (`flask scheduler`, every IMPORT_JOB_INTERVAL_SECONDS) or
`flask import run-jobs` claims queued batches one at a time — on PostgreSQL with
``FOR UPDATE SKIP LOCKED``, so several workers never take the same batch — and runs the check
or the commit. The check's rows are stored once (ImportRow) for the paginated review page.
A commit is one transaction: all rows or none. Progress (rows done of total) is written on a
separate connection so the review page can show it while the job runs.
"""
import logging
import os
import secrets

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, insert, select, update

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.transfer import services
from advocacy.transfer.models import QUEUED, ImportBatch, ImportColumnMapping, ImportRow, ImportState

log = logging.getLogger("advocacy.imports")
#: review order: what needs a decision first, unchanged rows are not stored
RANK = {"error": 0, "conflict": 1, "left": 1, "missing": 1, "create": 2, "update": 3}


def upload_dir() -> str:
    path = current_app.config.get("IMPORT_UPLOAD_DIR") or os.path.join(current_app.instance_path, "uploads")
    os.makedirs(path, exist_ok=True)
    return path


def file_path(batch: ImportBatch) -> str:
    return os.path.join(upload_dir(), batch.stored_name)


def create_batch(*, kind: str, source: str, filename: str, stream, options: dict, user_id: int) -> ImportBatch:
    """Store an uploaded file on disk and queue its check. ``stream`` is read in chunks (a
    100 MB file never sits in memory or in a database row). Flushes, does not commit."""
    batch_id = secrets.token_hex(16)
    stored = f"{batch_id}.upload"
    size = 0
    with open(os.path.join(upload_dir(), stored), "wb") as out:
        while chunk := stream.read(1024 * 1024):
            out.write(chunk)
            size += len(chunk)
    batch = ImportBatch(id=batch_id, kind=kind, source=(source or "").strip()[:120], filename=(filename or "upload")[:255],
                        stored_name=stored, size=size, options=options, created_by_id=user_id,
                        state=ImportState.QUEUED_CHECK, mapping=saved_mapping(kind, source))
    db.session.add(batch)
    db.session.flush()
    return batch


def saved_mapping(kind: str, source: str) -> dict:
    return {m.header: m.column for m in db.session.scalars(
        select(ImportColumnMapping).where(ImportColumnMapping.kind == kind,
                                          ImportColumnMapping.source == (source or "").strip()[:120]))}


def save_mapping(batch: ImportBatch, choices: dict) -> None:
    """Remember staff's column choices (normalised header → column name, "" = ignore) for this
    batch and for the next file from the same source, and queue the check again. Flushes."""
    from advocacy.transfer.columns import IMPORT_SCHEMAS, normalise_header

    schema = IMPORT_SCHEMAS.get("parliamentarians" if batch.kind == "ep-xml" else batch.kind)
    mapping = dict(batch.mapping or {})
    for header, column in choices.items():
        word = normalise_header(header)
        if column and column not in schema.by_word:
            raise ValueError(_("'%(column)s' is not a column of this import.", column=column))
        mapping[word] = column
        row = db.session.scalar(select(ImportColumnMapping).where(
            ImportColumnMapping.kind == batch.kind, ImportColumnMapping.source == batch.source,
            ImportColumnMapping.header == word))
        if row is None:
            db.session.add(ImportColumnMapping(kind=batch.kind, source=batch.source, header=word, column=column))
        else:
            row.column = column
    batch.mapping = mapping
    requeue_check(batch)


def save_facility_choices(batch: ImportBatch, choices: dict) -> None:
    """Staff's decisions for new facilities: name → "create" or an existing facility id. Queues
    the check again so the review shows the outcome. Flushes."""
    current = dict(batch.facility_choices or {})
    for name, choice in choices.items():
        if choice == "create":
            current[name] = "create"
        elif choice.isdigit():
            current[name] = int(choice)
        elif choice:
            raise ValueError(_("'%(choice)s' is not a choice for facility '%(name)s'.", choice=choice, name=name))
    batch.facility_choices = current
    requeue_check(batch)


def requeue_check(batch: ImportBatch) -> None:
    if batch.state not in (ImportState.CHECKED, ImportState.FAILED, ImportState.REFUSED, ImportState.QUEUED_CHECK):
        raise ValueError(_("This import is running or done; it cannot be changed."))
    batch.state = ImportState.QUEUED_CHECK
    batch.rows_done = 0
    db.session.flush()


def queue_commit(batch: ImportBatch) -> None:
    """Ask for the commit; refused unless the stored check is clean. Flushes."""
    if batch.state != ImportState.CHECKED:
        raise ValueError(_("Only a checked file can be imported."))
    s = batch.summary or {}
    if s.get("error"):
        raise ValueError(ngettext("Nothing can be imported: %(num)s row(s) are bad. Correct the file and upload it "
                                  "again.", "Nothing can be imported: %(num)s row(s) are bad. Correct the file and "
                                  "upload it again.", s["error"]))
    undecided = [f["name"] for f in (batch.findings or {}).get("facilities", []) if f["choice"] is None]
    if undecided:
        raise ValueError(_("Choose merge or create for every new facility first: %(names)s.",
                           names=", ".join(undecided)))
    if not changes_to_apply(batch):
        raise ValueError(_("The file changes nothing: there is nothing to import."))
    batch.state = ImportState.QUEUED_COMMIT
    batch.rows_done = 0
    db.session.flush()


def changes_to_apply(batch: ImportBatch) -> int:
    """How many rows of the stored check would change something (conflicts and people missing
    from a list change nothing; lines staff skipped are not applied)."""
    n = sum(n for action, n in (batch.summary or {}).items() if action not in ("unchanged", "error", "conflict",
                                                                                "missing"))
    return max(0, n - len((batch.options or {}).get("skip", [])))


def previous_keys(batch: ImportBatch):
    """The ids of the last list imported from the same source (None: this is the first one)."""
    if batch.kind != services.PRISONER_LIST.kind:
        return None
    return db.session.scalar(
        select(ImportBatch.seen_keys).where(ImportBatch.kind == batch.kind, ImportBatch.source == batch.source,
                                            ImportBatch.state == ImportState.DONE, ImportBatch.id != batch.id,
                                            ImportBatch.seen_keys.is_not(None))
        .order_by(ImportBatch.committed_at.desc()).limit(1))


def save_decisions(batch: ImportBatch, *, shown: list[str], accepted: list[str]) -> None:
    """Staff's accept/skip of the change lines shown on one page of the review ("key:action"
    each): the shown lines not accepted are skipped at commit. Flushes."""
    if batch.state != ImportState.CHECKED:
        raise ValueError(_("Only a checked list waiting for your decision can be changed."))
    known = {f"{k}:{a}" for k, a in db.session.execute(
        select(ImportRow.key, ImportRow.action).where(ImportRow.batch_id == batch.id,
                                                      ImportRow.action.in_(services.CHANGE_ACTIONS)))}
    unknown = [line for line in shown + accepted if line not in known]
    if unknown:
        raise ValueError(_("These lines are not part of this check: %(lines)s.", lines=", ".join(unknown[:5])))
    skip = (set((batch.options or {}).get("skip", [])) - set(shown)) | (set(shown) - set(accepted))
    batch.options = {**(batch.options or {}), "skip": sorted(skip)}
    db.session.flush()


# -- the worker -----------------------------------------------------------------------------
def _progress(batch_id: str, separate_connection: bool):
    """A callback writing rows done/total where other sessions see it at once."""
    def report(done, total):
        if not separate_connection:
            return
        with db.engine.begin() as conn:
            conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(rows_done=done, rows_total=total))
    return report


def check_batch(batch: ImportBatch, *, now) -> None:
    """Run the check and store its outcome on the batch and as ImportRow rows (computed once;
    the review page only reads them). Commits."""
    batch_id = batch.id
    try:
        with open(file_path(batch), "rb") as fh:
            content = fh.read()
    except OSError as exc:
        _finish(batch_id, ImportState.REFUSED, error=_("The uploaded file is gone from the server (%(error)s): "
                                                       "upload it again.", error=exc.strerror))
        return
    kind, mapping, choices, end_missing = batch.kind, batch.mapping, batch.facility_choices, batch.options.get("end_missing", False)
    listed_on = _listed_on(batch)
    previous, skip = previous_keys(batch), (batch.options or {}).get("skip", [])
    db.session.commit()  # release the claim's transaction; progress is written beside it
    try:
        report = services.run(kind, content, write=False, end_missing=end_missing, mapping=mapping, listed_on=listed_on,
                              skip=skip, previous_keys=previous,
                              facility_choices=choices, progress=_progress(batch_id, True), today=now.date())
    except services.ImportError_ as exc:
        db.session.rollback()
        _finish(batch_id, ImportState.REFUSED, error=str(exc), clear_rows=True)
        return
    db.session.rollback()  # a check writes nothing
    db.session.execute(delete(ImportRow).where(ImportRow.batch_id == batch_id))
    errors_listed, rows = 0, []
    for r in report.rows:
        if r.action == "unchanged":
            continue
        if r.action == "error":
            errors_listed += 1
            if errors_listed > services.MAX_REPORTED_ERRORS:
                continue
        rows.append({"batch_id": batch_id, "rank": RANK.get(r.action, 1), "line": r.line, "action": r.action,
                     "key": r.key[:200], "label": r.label[:300], "changes": r.changes or None, "error": r.error})
        if len(rows) >= 5000:
            db.session.execute(insert(ImportRow), rows)
            rows = []
    if rows:
        db.session.execute(insert(ImportRow), rows)
    findings = {"ignored": report.ignored, "mapped": report.mapped, "facilities": report.facilities,
                "notes": report.notes, "errors_not_listed": max(0, errors_listed - services.MAX_REPORTED_ERRORS)}
    db.session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        state=ImportState.CHECKED, summary=report.summary(), findings=findings, checked_at=now, error=None,
        rows_total=len(report.rows), rows_done=len(report.rows)))
    db.session.commit()


def commit_batch(batch: ImportBatch, *, now) -> None:
    """Apply the file in one transaction; on any bad row, undecided facility or failure nothing
    is written and the batch says why. Commits."""
    from advocacy.audit.services import acting_as

    batch_id, user_id = batch.id, batch.created_by_id
    with open(file_path(batch), "rb") as fh:
        content = fh.read()
    kind, mapping, choices, end_missing = batch.kind, batch.mapping, batch.facility_choices, batch.options.get("end_missing", False)
    listed_on = _listed_on(batch)
    previous, skip = previous_keys(batch), (batch.options or {}).get("skip", [])
    db.session.commit()
    separate = db.engine.dialect.name != "sqlite"  # SQLite allows one writer: progress shows at the end
    from advocacy.auth.models import User

    user = db.session.get(User, user_id)
    try:
        with acting_as(f"import:{user.email if user else user_id}", user_id):
            report = services.run(kind, content, write=True, end_missing=end_missing, mapping=mapping,
                                  listed_on=listed_on, skip=skip, previous_keys=previous,
                                  facility_choices=choices, progress=_progress(batch_id, separate), today=now.date())
            problem = None
            if report.errors:
                problem = ngettext("%(num)s row(s) are bad now (the data changed since the check): check again.",
                                   "%(num)s row(s) are bad now (the data changed since the check): check again.",
                                   len(report.errors))
            elif report.undecided_facilities:
                problem = _("New facilities need a decision (merge or create): check again.")
            if problem:
                db.session.rollback()
                _finish(batch_id, ImportState.FAILED, error=problem)
                return
            db.session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
                state=ImportState.DONE, committed_at=now, summary=report.summary(), error=None,
                seen_keys=report.keys if kind == services.PRISONER_LIST.kind else None,
                rows_done=len(report.rows), rows_total=len(report.rows)))
            db.session.commit()
    except services.ImportError_ as exc:
        db.session.rollback()
        _finish(batch_id, ImportState.FAILED, error=str(exc))
    except Exception as exc:  # a database error must not leave the batch "running" forever
        db.session.rollback()
        log.exception("import %s failed", batch_id)
        _finish(batch_id, ImportState.FAILED, error=_("The import failed and nothing was written (%(error)s). The "
                                                      "error was logged; try again or ask an administrator.",
                                                      error=type(exc).__name__))


def _listed_on(batch):
    import datetime as dt

    value = (batch.options or {}).get("listed_on")
    return dt.date.fromisoformat(value) if value else None


def _finish(batch_id, state, *, error=None, clear_rows=False):
    if clear_rows:
        db.session.execute(delete(ImportRow).where(ImportRow.batch_id == batch_id))
    db.session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(state=state, error=error))
    db.session.commit()


def claim_next(batch_id: str | None = None):
    """The oldest queued batch (or the given one, if queued), marked running (committed), or None."""
    stmt = (select(ImportBatch).where(ImportBatch.state.in_(QUEUED)).order_by(ImportBatch.created_at, ImportBatch.id)
            .limit(1))
    if batch_id is not None:
        stmt = stmt.where(ImportBatch.id == batch_id)
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    batch = db.session.scalar(stmt)
    if batch is None:
        db.session.rollback()
        return None
    batch.state = ImportState.CHECKING if batch.state == ImportState.QUEUED_CHECK else ImportState.COMMITTING
    batch.rows_done = 0
    db.session.commit()
    return batch


def batch_locale(batch: ImportBatch) -> str:
    """The language of what a job stores for staff to read (row errors, notes, why a file was
    refused): the language of the staff member who started the import, whoever runs the job."""
    from advocacy.auth.models import User
    from advocacy.i18n import recipient_locale

    return recipient_locale(user=db.session.get(User, batch.created_by_id))


def run_one(batch: ImportBatch, *, now) -> None:
    with force_locale(batch_locale(batch)):
        if batch.state == ImportState.CHECKING:
            check_batch(batch, now=now)
        else:
            commit_batch(batch, now=now)


def run_jobs(*, now=None, limit: int | None = None) -> int:
    """Work through queued imports; returns how many were processed."""
    done = 0
    while limit is None or done < limit:
        batch = claim_next()
        if batch is None:
            break
        run_one(batch, now=now or utcnow())
        done += 1
    return done


def run_scheduled(app):
    """The scheduler's entry point (an interval job)."""
    with app.app_context():
        n = run_jobs()
        if n:
            log.info("imports: %d job(s) run", n)
        return n
