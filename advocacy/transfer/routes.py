"""Staff imports: upload → check (a job; stored once) → review, map columns, choose facilities
→ confirm (a job: one transaction). Views only parse the request and call the services."""
import csv
import datetime as dt
import io

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from advocacy.extensions import csrf, db
from advocacy.pagination import paginate
from advocacy.security import staff_required
from advocacy.transfer import bp, jobs, services
from advocacy.transfer.columns import IMPORT_SCHEMAS
from advocacy.transfer.models import QUEUED, RUNNING, ImportBatch, ImportRow, ImportState
from advocacy.validators import strip


class UploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=list(services.KINDS.items()))
    source = StringField(_l("Where it comes from"), filters=[strip], validators=[Length(max=120)],
                         description=_l("e.g. viasna, ep, bundestag. Column choices are remembered per source."))
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])
    end_missing = BooleanField(_l("Parliamentarian lists: mark members of the list's parliaments who are missing "
                                  "from it as having left (the check lists them first; their pairings will need a "
                                  "new godparent)"))
    listed_on = DateField(_l("Date of the list"), validators=[Optional()],
                          description=_l("When the source published it (empty: today). An older list never "
                                         "overwrites what a newer one set; the check shows such conflicts."))

    def validate_listed_on(self, field):
        if field.data and field.data > dt.date.today():
            raise ValidationError(_("The list's date cannot be in the future."))


def _schemas():
    return [(kind, services.KINDS[kind], schema) for kind, schema in IMPORT_SCHEMAS.items()]


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its CSRF token itself, after the larger upload limit is set
@staff_required
def index():
    form = UploadForm()
    if form.validate_on_submit():
        batch = jobs.create_batch(kind=form.kind.data, source=form.source.data or form.kind.data,
                                  filename=form.file.data.filename, stream=form.file.data.stream,
                                  options={"end_missing": form.end_missing.data,
                                           "listed_on": form.listed_on.data.isoformat() if form.listed_on.data else None},
                                  user_id=current_user.id)
        db.session.commit()
        if batch.size <= current_app.config["IMPORT_INLINE_CHECK_BYTES"]:
            # a small file is checked at once; a big one waits for the job runner
            claimed = jobs.claim_next(batch.id)
            if claimed is not None:
                jobs.run_one(claimed, now=_now())
        return redirect(url_for("transfer.review", batch_id=batch.id))
    recent = db.session.scalars(select(ImportBatch).where(ImportBatch.created_by_id == current_user.id)
                                .order_by(ImportBatch.created_at.desc()).limit(10)).all()
    return render_template("transfer/index.html", form=form, schemas=_schemas(), recent=recent,
                           max_mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024)), 400 if form.errors else 200


def _now():
    from advocacy.db_types import utcnow

    return utcnow()


@bp.route("/template/<kind>.csv")
@staff_required
def template(kind):
    schema = IMPORT_SCHEMAS.get(kind) or abort(404)
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(schema.template_rows())
    resp = Response("\ufeff" + buf.getvalue(), mimetype="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return resp


def _batch(batch_id):
    batch = db.session.get(ImportBatch, batch_id) or abort(404)
    if batch.created_by_id != current_user.id and not current_user.is_admin:
        abort(404)
    return batch


@bp.route("/<batch_id>")
@staff_required
def review(batch_id):
    batch = _batch(batch_id)
    page = None
    if batch.state in (ImportState.CHECKED, ImportState.DONE, ImportState.FAILED, ImportState.COMMITTING,
                       ImportState.QUEUED_COMMIT):
        page = paginate(select(ImportRow).where(ImportRow.batch_id == batch.id).order_by(ImportRow.rank, ImportRow.line))
    schema = IMPORT_SCHEMAS.get("parliamentarians" if batch.kind == "ep-xml" else batch.kind)
    return render_template("transfer/review.html", batch=batch, page=page, form=FlaskForm(), schema=schema,
                           findings=batch.findings or {}, summary=batch.summary or {},
                           to_apply=jobs.changes_to_apply(batch), change_actions=services.CHANGE_ACTIONS,
                           skipped=set((batch.options or {}).get("skip", [])),
                           waiting=batch.state in QUEUED or batch.state in RUNNING)


def _post(batch_id):
    batch = _batch(batch_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return batch


@bp.route("/<batch_id>/columns", methods=["POST"])
@staff_required
def map_columns(batch_id):
    return _save_choices(batch_id, "map:", jobs.save_mapping)


@bp.route("/<batch_id>/facilities", methods=["POST"])
@staff_required
def choose_facilities(batch_id):
    return _save_choices(batch_id, "facility:", jobs.save_facility_choices)


def _save_choices(batch_id, prefix: str, save):
    """Staff choices posted as ``<prefix><name>=<value>``: saved on the batch (which queues its
    check again), or the reason they were refused."""
    batch = _post(batch_id)
    choices = {k.removeprefix(prefix): v for k, v in request.form.items() if k.startswith(prefix)}
    try:
        save(batch, choices)
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("transfer.review", batch_id=batch.id))
    db.session.commit()
    return _after_change(batch)


def _after_change(batch):
    if batch.size <= current_app.config["IMPORT_INLINE_CHECK_BYTES"]:
        claimed = jobs.claim_next(batch.id)
        if claimed is not None:
            jobs.run_one(claimed, now=_now())
    flash(_("Saved; the file is checked again with your choices."), "success")
    return redirect(url_for("transfer.review", batch_id=batch.id))


@bp.route("/<batch_id>/confirm", methods=["POST"])
@staff_required
def confirm(batch_id):
    batch = _post(batch_id)
    if batch.state in (ImportState.DONE, ImportState.QUEUED_COMMIT, ImportState.COMMITTING):
        flash(_("This file is already imported or being imported; nothing was done again."), "info")
        return redirect(url_for("transfer.review", batch_id=batch.id))
    try:
        jobs.queue_commit(batch)
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("transfer.review", batch_id=batch.id))
    db.session.commit()
    flash(_("The import is queued; this page shows its progress."), "success")
    return redirect(url_for("transfer.review", batch_id=batch.id))


@bp.route("/<batch_id>/decisions", methods=["POST"])
@staff_required
def decide(batch_id):
    """Accept or skip the change lines of a prisoner list (update mode), one page at a time."""
    batch = _post(batch_id)
    try:
        jobs.save_decisions(batch, shown=request.form.getlist("shown"), accepted=request.form.getlist("accept"))
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("transfer.review", batch_id=batch.id))
    db.session.commit()
    flash(_("Saved: skipped lines will not be applied."), "success")
    return redirect(url_for("transfer.review", batch_id=batch.id, page=request.form.get("page", type=int) or None))
