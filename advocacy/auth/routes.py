"""Login and logout (invitations and password reset: see below)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from advocacy.auth import bp
from advocacy.auth import services
from advocacy.auth.forms import LoginForm
from advocacy.db_types import utcnow
from advocacy.extensions import db, limiter
from advocacy.security import is_safe_next


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(services.home_endpoint(current_user)))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, now=utcnow())
        if user is None:
            form.password.errors.append("Wrong email or password.")
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            target = form.next.data
            if not is_safe_next(target):
                target = url_for(services.home_endpoint(user))
            return redirect(target)
    return render_template("auth/login.html", form=form), (200 if request.method == "GET" or not form.errors else 400 if not form.password.errors else 401)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
