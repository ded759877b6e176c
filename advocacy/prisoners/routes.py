"""Staff views of the prisoner register. Thin: parse, call services, commit, render."""
import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from advocacy.audit.services import entries_for
from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.i18n import format_date
from advocacy.pagination import paginate, sort_clause
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.prisoners import bp, services, timeline
from advocacy.prisoners.forms import KeyDateForm, PrisonerForm, StatusForm
from advocacy.prisoners.models import Facility, KeyDate, KeyDateKind, Prisoner, PrisonerStatus, Visibility
from advocacy.security import db_int, staff_required
from advocacy.staff_version import render_cached
from advocacy.views import confirm_first, toggle_archived

SORTABLE = {
    "name": Prisoner.name,
    "detained": Prisoner.detained_on,
    "status": Prisoner.status,
    "updated": Prisoner.updated_at,
}


def _flag(name):
    value = request.args.get(name)
    return {"1": True, "0": False}.get(value)


@bp.route("/")
@staff_required
def list():
    today = dt.date.today()
    return render_template("prisoners/list.html",
                           content=render_cached("prisoners/_list.html", lambda: _list_context(today), today=today))


def _list_context(today: dt.date) -> dict:
    args = request.args
    status = args.get("status") or None
    if status and status != "in_custody" and status not in PrisonerStatus._value2member_map_:
        status = None
    visibility = args.get("visibility") if args.get("visibility") in Visibility._value2member_map_ else None
    stmt = services.search_select(
        args.get("q"), status=status, humanitarian=_flag("humanitarian"), visibility=visibility,
        facility_id=args.get("facility", type=db_int), uncovered=args.get("uncovered") == "1",
        archived=args.get("archived") == "1",
    )
    order, sort = sort_clause(SORTABLE, "name")
    if args.get("q") and "sort" not in args:
        stmt = stmt.order_by(Prisoner.name, Prisoner.id)  # after the best match
    elif args.get("uncovered") == "1" and "sort" not in args:
        # Humanitarian-list prisoners first, then the longest detained.
        stmt = stmt.order_by(None).order_by(Prisoner.is_humanitarian.desc(), Prisoner.detained_on.asc(), Prisoner.id)
    else:
        stmt = stmt.order_by(None).order_by(order, Prisoner.id)
    page = paginate(stmt)
    ids = [p.id for p in page.items]
    godparents = dict(db.session.execute(
        select(Pairing.prisoner_id, func.count(Pairing.id))
        .where(Pairing.prisoner_id.in_(ids), Pairing.status == PairingStatus.ACTIVE)
        .group_by(Pairing.prisoner_id)
    ).all()) if ids else {}
    facilities = db.session.execute(select(Facility.id, Facility.name).order_by(Facility.name)).all()
    return dict(page=page, sort=sort, godparents=godparents, statuses=PrisonerStatus, facilities=facilities, today=today)


@bp.route("/<int:prisoner_id>")
@staff_required
def view(prisoner_id):
    prisoner = db.session.scalar(
        select(Prisoner).where(Prisoner.id == prisoner_id)
        .options(selectinload(Prisoner.key_dates), selectinload(Prisoner.status_changes),
                 selectinload(Prisoner.pairings).joinedload(Pairing.parliamentarian))
    ) or abort(404)
    today = dt.date.today()
    return render_template(
        "prisoners/view.html", prisoner=prisoner, today=today, status_form=StatusForm(status=prisoner.status.value),
        next_birthday=services.next_anniversary(prisoner.birth_date, today),
        next_arrest_anniversary=services.next_anniversary(prisoner.detained_on, today),
        history=entries_for("Prisoner", prisoner.id, limit=20),
        events=timeline.build(prisoner, key_dates=prisoner.key_dates, status_changes=prisoner.status_changes,
                              pairings=[p for p in prisoner.pairings if p.status in (PairingStatus.ACTIVE, PairingStatus.ENDED)],
                              statements=services.statements_about(prisoner.id), today=today, show_notes=True),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def add():
    form = PrisonerForm()
    if form.validate_on_submit():
        prisoner = Prisoner(status=PrisonerStatus(form.status.data), status_on=form.status_on.data)
        form.apply(prisoner)
        db.session.add(prisoner)
        db.session.flush()
        services.record_first_status(prisoner, on=form.status_on.data or dt.date.today(),
                                     note="Added to the register", by=current_user)
        db.session.commit()
        flash(_("%(name)s was added.", name=prisoner.name), "success")
        return redirect(url_for("prisoners.view", prisoner_id=prisoner.id))
    return render_template("prisoners/form.html", form=form, prisoner=None), 400 if form.errors else 200


@bp.route("/<int:prisoner_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(prisoner_id):
    prisoner = db.get_or_404(Prisoner, prisoner_id)
    form = PrisonerForm(obj=prisoner, prisoner_id=prisoner.id)
    if request.method == "GET":
        form.facility_id.data = prisoner.facility_id or 0
        form.status.data = prisoner.status.value
        form.visibility.data = prisoner.visibility.value
        form.gender.data = prisoner.gender.value if prisoner.gender else ""
    if form.validate_on_submit():
        form.apply(prisoner)
        new_status = PrisonerStatus(form.status.data)
        ended = []
        if new_status != prisoner.status:
            ended = services.change_status(prisoner, new_status, on=form.status_on.data or dt.date.today(),
                                           by=current_user, now=utcnow())
        else:
            prisoner.status_on = form.status_on.data
        db.session.commit()
        flash(_("Saved %(name)s.", name=prisoner.name) + (" " + _ended(ended) if ended else ""), "success")
        return redirect(url_for("prisoners.view", prisoner_id=prisoner.id))
    return render_template("prisoners/form.html", form=form, prisoner=prisoner), 400 if form.errors else 200


@bp.route("/<int:prisoner_id>/status", methods=["POST"])
@staff_required
def status(prisoner_id):
    prisoner = db.get_or_404(Prisoner, prisoner_id)
    form = StatusForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "error")
        return redirect(url_for("prisoners.view", prisoner_id=prisoner.id))
    try:
        ended = services.change_status(prisoner, PrisonerStatus(form.status.data), on=form.changed_on.data,
                                       note=form.note.data, by=current_user, now=utcnow())
    except services.PrisonerError as exc:
        flash(str(exc), "error")
        return redirect(url_for("prisoners.view", prisoner_id=prisoner.id))
    db.session.commit()
    flash(_("Status changed to %(status)s.", status=prisoner.status.label) + (" " + _ended(ended) if ended else ""), "success")
    return redirect(url_for("prisoners.view", prisoner_id=prisoner.id))


@bp.route("/<int:prisoner_id>/archive", methods=["POST"])
@staff_required
def archive(prisoner_id):
    prisoner = db.get_or_404(Prisoner, prisoner_id)
    return toggle_archived(prisoner, prisoner.name, "prisoners.view", prisoner_id=prisoner.id)


@bp.route("/<int:prisoner_id>/key-dates/new", methods=["GET", "POST"])
@staff_required
def add_key_date(prisoner_id):
    prisoner = db.get_or_404(Prisoner, prisoner_id)
    form = KeyDateForm()
    if form.validate_on_submit():
        key_date = KeyDate(prisoner=prisoner)
        _apply_key_date(form, key_date)
        db.session.add(key_date)
        db.session.commit()
        flash(_("%(kind)s on %(date)s was added.", kind=key_date.kind.label, date=format_date(key_date.occurs_on)), "success")
        return redirect(url_for("prisoners.view", prisoner_id=prisoner.id))
    return render_template("prisoners/key_date_form.html", form=form, prisoner=prisoner, key_date=None), \
        400 if form.errors else 200


@bp.route("/key-dates/<int:key_date_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_key_date(key_date_id):
    key_date = db.get_or_404(KeyDate, key_date_id)
    form = KeyDateForm(obj=key_date)
    if request.method == "GET":
        form.kind.data = key_date.kind.value
    if form.validate_on_submit():
        _apply_key_date(form, key_date)
        db.session.commit()
        flash(_("The date was saved."), "success")
        return redirect(url_for("prisoners.view", prisoner_id=key_date.prisoner_id))
    return render_template("prisoners/key_date_form.html", form=form, prisoner=key_date.prisoner,
                           key_date=key_date), 400 if form.errors else 200


@bp.route("/key-dates/<int:key_date_id>/delete", methods=["POST"])
@staff_required
def delete_key_date(key_date_id):
    key_date = db.get_or_404(KeyDate, key_date_id)
    prisoner_id = key_date.prisoner_id
    ask = confirm_first(_("Delete this date: %(kind)s on %(date)s?", kind=key_date.kind.label,
                          date=format_date(key_date.occurs_on)), _("Delete"),
                        url_for("prisoners.view", prisoner_id=prisoner_id), _("This cannot be undone."))
    if ask is not None:
        return ask
    db.session.delete(key_date)
    db.session.commit()
    flash(_("The date was deleted."), "success")
    return redirect(url_for("prisoners.view", prisoner_id=prisoner_id))


def _ended(ended) -> str:
    """The sentence appended to a flash when a status change ended pairings (two whole messages)."""
    return ngettext("%(num)s pairing ended.", "%(num)s pairings ended.", len(ended))


def _apply_key_date(form, key_date):
    key_date.kind = KeyDateKind(form.kind.data)
    for name in ("occurs_on", "occurs_at_time", "place", "note", "is_yearly"):
        setattr(key_date, name, getattr(form, name).data)
