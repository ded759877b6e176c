"""Staff views of statements."""
import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.pagination import keyset_paginate, sort_column
from advocacy.pairings.models import Pairing
from advocacy.security import back_or, db_int, staff_required
from advocacy.staff_version import render_cached
from advocacy.statements import bp, services
from advocacy.statements.forms import StatementForm
from advocacy.statements.models import Statement, StatementKind
from advocacy.views import confirm_first

SORTABLE = {"date": Statement.made_on, "created": Statement.created_at}


def _aware(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("a cursor's time carries its offset")
    return value


PARSE = {"made_on": dt.date.fromisoformat, "created_at": _aware}  # a page cursor's sort key


@bp.route("/")
@staff_required
def list():
    dates = {}
    for arg in ("from", "to"):
        if request.args.get(arg):
            try:
                dates[arg] = dt.date.fromisoformat(request.args[arg])
            except ValueError:  # flashed here: the cached part below is rendered once for all requests
                flash(_("Ignored the 'from' date: use YYYY-MM-DD.") if arg == "from"
                      else _("Ignored the 'to' date: use YYYY-MM-DD."), "warning")
    today = dt.date.today()
    return render_template("statements/list.html",
                           content=render_cached("statements/_list.html", lambda: _list_context(dates), today=today))


def _list_context(dates: dict) -> dict:
    a = request.args
    stmt = (select(Statement).join(Statement.pairing).join(Pairing.parliamentarian)
            .options(joinedload(Statement.pairing).joinedload(Pairing.parliamentarian),
                     joinedload(Statement.pairing).joinedload(Pairing.prisoner)))
    if a.get("kind") in StatementKind._value2member_map_:
        stmt = stmt.where(Statement.kind == a["kind"])
    if a.get("verified") == "1":
        stmt = stmt.where(Statement.verified_at.is_not(None))
    elif a.get("verified") == "0":
        stmt = stmt.where(Statement.verified_at.is_(None))
    if a.get("public") in ("0", "1"):
        stmt = stmt.where(Statement.is_public.is_(a["public"] == "1"))
    if a.get("parliamentarian", type=db_int):
        stmt = stmt.where(Pairing.parliamentarian_id == a.get("parliamentarian", type=db_int))
    for arg, op in (("from", "__ge__"), ("to", "__le__")):
        if arg in dates:
            stmt = stmt.where(getattr(Statement.made_on, op)(dates[arg]))
    column, desc, sort = sort_column(SORTABLE, "-date")
    page = keyset_paginate(stmt, column, lambda s: getattr(s, column.key), PARSE[column.key], desc=desc)
    return dict(page=page, sort=sort, kinds=StatementKind)


@bp.route("/new/<int:pairing_id>", methods=["GET", "POST"])
@staff_required
def add(pairing_id):
    pairing = db.get_or_404(Pairing, pairing_id)
    form = StatementForm()
    if form.validate_on_submit():
        statement = Statement(pairing=pairing, created_by_id=current_user.id)
        form.apply(statement)
        db.session.add(statement)
        db.session.commit()
        flash(_("The statement was recorded."), "success")
        return redirect(url_for("pairings.view", pairing_id=pairing.id))
    return render_template("statements/form.html", form=form, pairing=pairing, statement=None), \
        400 if form.errors else 200


@bp.route("/<int:statement_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(statement_id):
    statement = db.get_or_404(Statement, statement_id)
    form = StatementForm(obj=statement)
    if request.method == "GET":
        form.kind.data = statement.kind.value
    if form.validate_on_submit():
        form.apply(statement)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("statements.edit", statement_id=statement.id))
    return render_template("statements/form.html", form=form, pairing=statement.pairing, statement=statement), \
        400 if form.errors else 200


@bp.route("/<int:statement_id>/verify", methods=["POST"])
@staff_required
def verify(statement_id):
    statement = db.get_or_404(Statement, statement_id)
    if statement.is_verified:
        services.unverify(statement)
        flash(_("Marked as not verified."), "success")
    else:
        services.verify(statement, by=current_user, now=utcnow())
        flash(_("Verified."), "success")
    db.session.commit()
    return redirect(back_or(url_for("statements.list")))


@bp.route("/<int:statement_id>/public", methods=["POST"])
@staff_required
def toggle_public(statement_id):
    statement = db.get_or_404(Statement, statement_id)
    statement.is_public = not statement.is_public
    db.session.commit()
    flash(_("Shown publicly (once verified).") if statement.is_public else _("Hidden from the public page."), "success")
    return redirect(url_for("statements.edit", statement_id=statement.id))


@bp.route("/<int:statement_id>/delete", methods=["POST"])
@staff_required
def delete(statement_id):
    statement = db.get_or_404(Statement, statement_id)
    pairing_id = statement.pairing_id
    ask = confirm_first(_("Delete the statement “%(title)s”?", title=statement.title), _("Delete"),
                        url_for("statements.edit", statement_id=statement.id), _("This cannot be undone."))
    if ask is not None:
        return ask
    db.session.delete(statement)
    db.session.commit()
    flash(_("The statement was deleted."), "success")
    return redirect(url_for("pairings.view", pairing_id=pairing_id))
