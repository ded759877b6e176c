"""Staff imports: upload → dry-run report → confirm (one transaction)."""
import secrets

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.security import staff_required
from advocacy.transfer import bp, services
from advocacy.transfer.models import ImportBatch


class UploadForm(FlaskForm):
    kind = SelectField("What the file holds", choices=list(services.KINDS.items()))
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])
    end_missing = BooleanField("EP list only: mark MEPs missing from this list as having left (their pairings "
                               "will need a new godparent)")


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index():
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        batch = ImportBatch(id=secrets.token_hex(16), kind=form.kind.data, filename=form.file.data.filename or "upload",
                            content=content, options={"end_missing": form.end_missing.data}, created_by_id=current_user.id)
        try:
            report = services.run(batch.kind, content, write=False, end_missing=form.end_missing.data)
        except services.ImportError_ as exc:
            form.file.errors.append(str(exc))
        else:
            batch.summary = report.summary()
            db.session.add(batch)
            db.session.commit()
            return redirect(url_for("transfer.review", batch_id=batch.id))
    return render_template("transfer/index.html", form=form), 400 if form.errors else 200


def _batch(batch_id):
    batch = db.session.get(ImportBatch, batch_id) or abort(404)
    if batch.created_by_id != current_user.id and not current_user.is_admin:
        abort(404)
    return batch


@bp.route("/<batch_id>")
@staff_required
def review(batch_id):
    batch = _batch(batch_id)
    report = services.run(batch.kind, batch.content, write=False, end_missing=batch.options.get("end_missing", False))
    db.session.rollback()
    return render_template("transfer/review.html", batch=batch, report=report, form=FlaskForm())


@bp.route("/<batch_id>/confirm", methods=["POST"])
@staff_required
def confirm(batch_id):
    batch = _batch(batch_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if batch.committed_at is not None:
        flash("This file was already imported; nothing was done again.", "info")
        return redirect(url_for("transfer.review", batch_id=batch.id))
    report = services.run(batch.kind, batch.content, write=True, end_missing=batch.options.get("end_missing", False))
    if report.errors:
        db.session.rollback()
        flash(f"Nothing was imported: {len(report.errors)} row(s) are bad. Correct the file and upload it again.", "error")
        return redirect(url_for("transfer.review", batch_id=batch.id))
    batch.committed_at = utcnow()
    batch.summary = report.summary()
    db.session.commit()
    s = report.summary()
    flash(f"Imported: {s['create']} created, {s['update']} updated, {s['unchanged']} unchanged.", "success")
    return redirect(url_for("transfer.index"))
