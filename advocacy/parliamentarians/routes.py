"""Staff register of parliamentarians."""
import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.pagination import paginate, sort_clause
from advocacy.pairings.models import OPEN_STATUSES, Pairing
from advocacy.parliamentarians import mandates, bp, services
from advocacy.parliamentarians.forms import ParliamentarianForm
from advocacy.parliamentarians.models import Chamber, Parliamentarian
from advocacy.security import staff_required
from advocacy.staff_version import render_cached
from advocacy.views import toggle_archived

SORTABLE = {"name": Parliamentarian.full_name, "country": Parliamentarian.country,
            "group": Parliamentarian.political_group, "mandate_end": Parliamentarian.mandate_end_on}


@bp.route("/")
@staff_required
def list():
    today = dt.date.today()
    return render_template("parliamentarians/list.html", content=render_cached(
        "parliamentarians/_list.html", lambda: _list_context(today), today=today))


def _list_context(today: dt.date) -> dict:
    a = request.args
    chamber = a.get("chamber") if a.get("chamber") in Chamber._value2member_map_ else None
    stmt = services.search_select(
        a.get("q"), country=a.get("country"), parliament=a.get("parliament"), chamber=chamber,
        group=a.get("group"), mandate_ended={"1": True, "0": False}.get(a.get("mandate_ended")),
        without_pairing=a.get("without_pairing") == "1", archived=a.get("archived") == "1", today=today)
    order, sort = sort_clause(SORTABLE, "name")
    if not (a.get("q") and "sort" not in a):  # with a query and no chosen order: best match first
        stmt = stmt.order_by(None)
    page = paginate(stmt.order_by(order, Parliamentarian.id))
    ids = [p.id for p in page.items]
    open_counts = dict(db.session.execute(
        select(Pairing.parliamentarian_id, func.count(Pairing.id))
        .where(Pairing.parliamentarian_id.in_(ids), Pairing.status.in_(OPEN_STATUSES))
        .group_by(Pairing.parliamentarian_id)).all()) if ids else {}
    return dict(page=page, sort=sort, open_counts=open_counts, today=today, **services.filter_choices(today),
                chambers=Chamber)


@bp.route("/<int:parliamentarian_id>")
@staff_required
def view(parliamentarian_id):
    parl = db.session.scalar(
        select(Parliamentarian).where(Parliamentarian.id == parliamentarian_id)
        .options(selectinload(Parliamentarian.pairings).joinedload(Pairing.prisoner),
                 selectinload(Parliamentarian.mandates))
    ) or abort(404)
    today = dt.date.today()
    return render_template("parliamentarians/view.html", parl=parl, today=today,
                           mandate_ended=parl.mandate_ended(today))


@bp.route("/needs-successor")
@staff_required
def needs_successor():
    return render_template("parliamentarians/needs_successor.html",
                           pairings=services.pairings_needing_successor(dt.date.today()))


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def add():
    form = ParliamentarianForm()
    if form.validate_on_submit():
        parl = Parliamentarian()
        form.apply(parl)
        db.session.add(parl)
        mandates.record_from_fields(parl, today=dt.date.today())
        db.session.commit()
        flash(_("%(name)s was added.", name=parl.full_name), "success")
        return redirect(url_for("parliamentarians.view", parliamentarian_id=parl.id))
    return render_template("parliamentarians/form.html", form=form, parl=None), 400 if form.errors else 200


@bp.route("/<int:parliamentarian_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(parliamentarian_id):
    parl = db.get_or_404(Parliamentarian, parliamentarian_id)
    form = ParliamentarianForm(obj=parl, parliamentarian_id=parl.id)
    if request.method == "GET":
        form.chamber.data = parl.chamber.value
    if form.validate_on_submit():
        form.apply(parl)
        mandates.record_from_fields(parl, today=dt.date.today())
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("parliamentarians.view", parliamentarian_id=parl.id))
    return render_template("parliamentarians/form.html", form=form, parl=parl), 400 if form.errors else 200


@bp.route("/<int:parliamentarian_id>/archive", methods=["POST"])
@staff_required
def archive(parliamentarian_id):
    parl = db.get_or_404(Parliamentarian, parliamentarian_id)
    return toggle_archived(parl, parl.full_name, "parliamentarians.view", parliamentarian_id=parl.id)
