"""Staff views of pairings."""
import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.outbox.services import mail_about_pairing
from advocacy.pagination import paginate, sort_clause
from advocacy.pairings import bp, services
from advocacy.pairings.forms import EndPairingForm, PairingForm
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.parliamentarians.services import filter_choices
from advocacy.prisoners.models import Prisoner
from advocacy.security import db_int, staff_required
from advocacy.staff_version import render_cached
from advocacy.views import confirm_first

SORTABLE = {"started": Pairing.started_on, "created": Pairing.created_at, "status": Pairing.status}


@bp.route("/")
@staff_required
def list():
    today = dt.date.today()
    return render_template("pairings/list.html",
                           content=render_cached("pairings/_list.html", _list_context, today=today))


def _list_context() -> dict:
    a = request.args
    stmt = (select(Pairing).join(Pairing.parliamentarian).join(Pairing.prisoner)
            .options(joinedload(Pairing.parliamentarian), joinedload(Pairing.prisoner)))
    if a.get("status") in PairingStatus._value2member_map_:
        stmt = stmt.where(Pairing.status == a["status"])
    if a.get("country"):
        stmt = stmt.where(Parliamentarian.country == a["country"])
    if a.get("group"):
        stmt = stmt.where(Parliamentarian.political_group == a["group"])
    if a.get("humanitarian") == "1":
        stmt = stmt.where(Prisoner.is_humanitarian.is_(True))
    order, sort = sort_clause(SORTABLE, "-created")
    page = paginate(stmt.order_by(order, Pairing.id.desc()))
    choices = filter_choices()
    return dict(page=page, sort=sort, statuses=PairingStatus, countries=choices["countries"], groups=choices["groups"])


@bp.route("/<int:pairing_id>")
@staff_required
def view(pairing_id):
    pairing = db.session.scalar(
        select(Pairing).where(Pairing.id == pairing_id)
        .options(joinedload(Pairing.parliamentarian), joinedload(Pairing.prisoner), selectinload(Pairing.statements))
    ) or abort(404)
    return render_template("pairings/view.html", pairing=pairing, end_form=EndPairingForm(),
                           mail=mail_about_pairing(pairing.id))


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def add():
    form = PairingForm(formdata=request.form if request.method == "POST" else None,
                       prisoner_id=request.args.get("prisoner_id", type=db_int),
                       parliamentarian_id=request.args.get("parliamentarian_id", type=db_int))
    if form.validate_on_submit():
        parl = db.session.get(Parliamentarian, form.parliamentarian_id.data)
        prisoner = db.session.get(Prisoner, form.prisoner_id.data)
        if parl is None:
            form.parliamentarian_id.errors.append(_("No parliamentarian with this id."))
        if prisoner is None:
            form.prisoner_id.errors.append(_("No prisoner with this id."))
        if parl and prisoner:
            try:
                pairing = services.create_pairing(parl, prisoner, today=dt.date.today(), now=utcnow(),
                                                  status=PairingStatus(form.status.data), created_by=current_user)
            except services.PairingError as exc:
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("%(name)s is now active as godparent of %(prisoner)s.", name=parl.full_name, prisoner=prisoner.name)
                      if pairing.status == PairingStatus.ACTIVE else
                      _("%(name)s is now invited as godparent of %(prisoner)s.", name=parl.full_name, prisoner=prisoner.name),
                      "success")
                return redirect(url_for("pairings.view", pairing_id=pairing.id))
    errors = bool(form.errors or form.form_errors)
    parliamentarians = db.session.execute(
        select(Parliamentarian.id, Parliamentarian.full_name, Parliamentarian.country)
        .where(Parliamentarian.is_archived.is_(False)).order_by(Parliamentarian.full_name)).all()
    prisoners = db.session.execute(
        select(Prisoner.id, Prisoner.name).where(Prisoner.is_archived.is_(False)).order_by(Prisoner.name)).all()
    return render_template("pairings/form.html", form=form, parliamentarians=parliamentarians,
                           prisoners=prisoners), 400 if errors else 200


@bp.route("/<int:pairing_id>/end", methods=["POST"])
@staff_required
def end(pairing_id):
    pairing = db.get_or_404(Pairing, pairing_id)
    form = EndPairingForm()
    if form.validate_on_submit():
        ask = confirm_first(_("End the pairing of %(godparent)s and %(prisoner)s?", godparent=str(pairing.parliamentarian),
                              prisoner=pairing.prisoner.name), _("End the pairing"),
                            url_for("pairings.view", pairing_id=pairing.id),
                            _("No more reminders will go out for it. This cannot be undone."))
        if ask is not None:
            return ask
        try:
            services.end_pairing(pairing, reason=EndReason(form.reason.data), on=form.ended_on.data, note=form.note.data)
        except services.PairingError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The pairing was ended. No more reminders will go out for it."), "success")
    else:
        for errs in form.errors.values():
            for e in errs:
                flash(e, "error")
    return redirect(url_for("pairings.view", pairing_id=pairing.id))
