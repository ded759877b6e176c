"""Admin: user accounts. New users are invited by email and choose their own password."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.auth import notifications
from advocacy.auth.models import Role, User
from advocacy.extensions import db
from advocacy.feeds import services as feeds
from advocacy.pagination import paginate
from advocacy.security import admin_required, db_int
from advocacy.users import bp
from advocacy.users.forms import UserForm


@bp.route("/")
@admin_required
def list():
    stmt = select(User).options(joinedload(User.parliamentarian)).order_by(User.role, User.name, User.id)
    if request.args.get("role") in Role._value2member_map_:
        stmt = stmt.where(User.role == request.args["role"])
    return render_template("users/list.html", page=paginate(stmt), roles=Role)


@bp.route("/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = UserForm(parliamentarian_id=request.args.get("parliamentarian_id", 0, type=db_int),
                    role=request.args.get("role", Role.STAFF.value))
    if form.validate_on_submit():
        user = User()
        form.apply(user)
        user.is_active_account = True
        db.session.add(user)
        db.session.flush()
        notifications.send_invitation(user, invited_by=current_user)
        db.session.commit()
        flash(_("%(email)s was invited: they will choose a password from the link in their email.", email=user.email),
              "success")
        return redirect(url_for("users.list"))
    return render_template("users/form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, user_id=user.id)
    if request.method == "GET":
        form.role.data = user.role.value
        form.parliamentarian_id.data = user.parliamentarian_id or 0
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.ADMIN.value or not form.is_active_account.data):
            form.form_errors.append("You cannot remove your own admin rights or deactivate yourself.")
        else:
            was = (user.role, user.parliamentarian_id, user.is_active_account)
            form.apply(user)
            if (user.role, user.parliamentarian_id, user.is_active_account) != was:
                feeds.revoke_all(user)  # calendar addresses die with a change of role or the account
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("users.list"))
    return render_template("users/form.html", form=form, user=user), 400 if (form.errors or form.form_errors) else 200


@bp.route("/<int:user_id>/resend", methods=["POST"])
@admin_required
def resend(user_id):
    user = db.get_or_404(User, user_id)
    if not user.is_active:
        abort(400, _("This account is deactivated."))
    notifications.send_invitation(user, invited_by=current_user)
    db.session.commit()
    flash(_("A new invitation to %(email)s is on its way (see the outbox if it does not arrive).", email=user.email),
          "success")
    return redirect(url_for("users.list"))
