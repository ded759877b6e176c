"""Staff register of prisons and detention centres."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.facilities import bp
from advocacy.pagination import paginate
from advocacy.prisoners.forms import FacilityForm
from advocacy.prisoners.models import Facility, FacilityKind, Prisoner
from advocacy.security import staff_required
from advocacy.views import toggle_archived


@bp.route("/")
@staff_required
def list():
    stmt = select(Facility).where(Facility.is_archived.is_(request.args.get("archived") == "1"))
    if request.args.get("q"):
        stmt = stmt.where(func.lower(Facility.name).contains(request.args["q"].strip().lower(), autoescape=True))
    page = paginate(stmt.order_by(Facility.name, Facility.id))
    ids = [f.id for f in page.items]
    counts = dict(db.session.execute(
        select(Prisoner.facility_id, func.count(Prisoner.id)).where(Prisoner.facility_id.in_(ids))
        .group_by(Prisoner.facility_id)
    ).all()) if ids else {}
    return render_template("facilities/list.html", page=page, counts=counts)


@bp.route("/<int:facility_id>")
@staff_required
def view(facility_id):
    facility = db.get_or_404(Facility, facility_id)
    prisoners = db.session.scalars(
        select(Prisoner).where(Prisoner.facility_id == facility.id).order_by(Prisoner.name)
    ).all()
    return render_template("facilities/view.html", facility=facility, prisoners=prisoners)


def _save(form, facility):
    form.populate_obj(facility)
    facility.kind = FacilityKind(form.kind.data)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def add():
    form = FacilityForm()
    if form.validate_on_submit():
        facility = Facility()
        _save(form, facility)
        db.session.add(facility)
        db.session.commit()
        flash(_("%(name)s was added.", name=facility.name), "success")
        return redirect(url_for("facilities.view", facility_id=facility.id))
    return render_template("facilities/form.html", form=form, facility=None), 400 if form.errors else 200


@bp.route("/<int:facility_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(facility_id):
    facility = db.get_or_404(Facility, facility_id)
    form = FacilityForm(obj=facility)
    if request.method == "GET":
        form.kind.data = facility.kind.value
    if form.validate_on_submit():
        _save(form, facility)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("facilities.view", facility_id=facility.id))
    return render_template("facilities/form.html", form=form, facility=facility), 400 if form.errors else 200


@bp.route("/<int:facility_id>/archive", methods=["POST"])
@staff_required
def archive(facility_id):
    facility = db.get_or_404(Facility, facility_id)
    return toggle_archived(facility, facility.name, "facilities.view", facility_id=facility.id)
