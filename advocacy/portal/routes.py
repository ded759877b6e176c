"""The parliamentarian's portal: their adopted prisoners, dates ahead, letters, statements."""
import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.extensions import db
from advocacy.pairings.models import PairingStatus
from advocacy.portal import bp, services
from advocacy.portal.forms import PortalStatementForm, ProfileForm
from advocacy.security import db_int, parliamentarian_required
from advocacy.staff_version import render_cached
from advocacy.statements.models import Statement


def _me():
    if current_user.parliamentarian_id is None:
        abort(403, _("This account is not linked to a parliamentarian record yet. Please contact the campaign team."))
    return current_user.parliamentarian_id


@bp.route("/")
@parliamentarian_required
def index():
    me = _me()
    today = dt.date.today()

    def context():
        pairings = services.my_pairings(me)
        return dict(pairings=pairings, invitations=services.my_pairings(me, statuses=(PairingStatus.INVITED,)),
                    today=today, dates={p.prisoner_id: services.dates_ahead(p.prisoner, today) for p in pairings},
                    my_statements=services.statements_by(me, limit=10))
    return render_template("portal/index.html",
                           content=render_cached("portal/_index.html", context, me, today=today))


@bp.route("/prisoners/<int:prisoner_id>")
@parliamentarian_required
def prisoner(prisoner_id):
    pairing = services.my_pairing_for_prisoner(_me(), prisoner_id) or abort(404)
    today = dt.date.today()
    return render_template("portal/prisoner.html", pairing=pairing, prisoner=pairing.prisoner, today=today,
                           dates=services.dates_ahead(pairing.prisoner, today, days=365),
                           statements=services.statements_for_prisoner(prisoner_id))


@bp.route("/prisoners/<int:prisoner_id>/letter")
@parliamentarian_required
def letter(prisoner_id):
    pairing = services.my_pairing_for_prisoner(_me(), prisoner_id) or abort(404)
    return render_template("portal/letter.html", prisoner=pairing.prisoner,
                           cyrillic_name=services.cyrillic_name(pairing.prisoner))


def _statement_form(me, **kw):
    form = PortalStatementForm(**kw)
    form.pairing_id.choices = [(p.id, p.prisoner.name) for p in services.my_pairings(me)]
    return form


@bp.route("/statements/new", methods=["GET", "POST"])
@parliamentarian_required
def add_statement():
    me = _me()
    form = _statement_form(me)
    if request.method == "GET" and request.args.get("pairing_id", type=db_int):
        form.pairing_id.data = request.args.get("pairing_id", type=db_int)
    if form.validate_on_submit():  # choices only hold their own active pairings: a forged id fails here
        statement = Statement(pairing_id=form.pairing_id.data, created_by_id=current_user.id)
        form.apply(statement)
        db.session.add(statement)
        db.session.commit()
        flash(_("Thank you. Your statement was recorded; the campaign team will verify it."), "success")
        return redirect(url_for("portal.index"))
    return render_template("portal/statement_form.html", form=form, statement=None), 400 if form.errors else 200


@bp.route("/statements/<int:statement_id>/edit", methods=["GET", "POST"])
@parliamentarian_required
def edit_statement(statement_id):
    me = _me()
    statement = services.my_statement(me, statement_id) or abort(404)
    form = _statement_form(me, obj=statement)
    if request.method == "GET":
        form.kind.data = statement.kind.value
    if statement.pairing_id not in dict(form.pairing_id.choices):
        form.pairing_id.choices.append((statement.pairing_id, statement.pairing.prisoner.name))
    if form.validate_on_submit():
        form.apply(statement)
        statement.pairing_id = form.pairing_id.data
        if statement.verified_at is not None:  # a changed statement needs a new check
            statement.verified_at = None
            statement.verified_by_id = None
        db.session.commit()
        flash(_("Your statement was saved."), "success")
        return redirect(url_for("portal.index"))
    return render_template("portal/statement_form.html", form=form, statement=statement), 400 if form.errors else 200


@bp.route("/profile", methods=["GET", "POST"])
@parliamentarian_required
def profile():
    _me()
    parl = current_user.parliamentarian
    form = ProfileForm(time_zone=parl.time_zone, locale=current_user.locale)
    if form.validate_on_submit():
        parl.time_zone = form.time_zone.data
        # their choice is the language of the site and of every mail to them (reminders too)
        current_user.locale = form.locale.chosen
        if form.locale.chosen:
            parl.locale = form.locale.chosen
        db.session.commit()
        flash(_("Your profile was saved."), "success")
        return redirect(url_for("portal.profile"))
    return render_template("portal/profile.html", form=form, parl=parl), 400 if form.errors else 200
