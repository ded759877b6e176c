"""Login, logout, password set-up from an invitation, password reset."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from advocacy.auth import bp
from advocacy.auth import services
from advocacy.auth import notifications
from advocacy.auth.forms import ForgotForm, LoginForm, SetPasswordForm
from advocacy.auth.throttle import client_key, guarded_by_account, remember_device
from advocacy.auth.tokens import TokenError, read_token
from advocacy.db_types import utcnow
from advocacy.extensions import db, limiter
from advocacy.security import is_safe_next


@bp.route("/login", methods=["GET", "POST"])
@guarded_by_account("LOGIN_LIMIT_ACCOUNT_CLIENT", "LOGIN_LIMIT_CLIENT", "LOGIN_LIMIT_ACCOUNT")
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
            return remember_device(redirect(target), user)
    return render_template("auth/login.html", form=form), (200 if request.method == "GET" or not form.errors else 400 if not form.password.errors else 401)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/sign-out-everywhere", methods=["GET", "POST"])
@login_required
def sign_out_everywhere():
    """Ends every session, remember cookie and emailed link of this account, on every device
    (a lost phone, a shared computer). GET asks to confirm; POST does it."""
    form = FlaskForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        flash("You are signed out on every device. Log in again here.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/sign_out_everywhere.html", form=form), 400 if form.errors else 200


@bp.route("/forgot", methods=["GET", "POST"])
@guarded_by_account("MAIL_LIMIT_ACCOUNT_CLIENT", "MAIL_LIMIT_CLIENT", "MAIL_LIMIT_ACCOUNT", deduct_when=None)
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            notifications.send_reset(user)
        # The same answer whether or not the account exists: no way to probe for accounts.
        flash("If an account exists for that address, we have sent it a link to reset the password.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


def _password_page(purpose: str, token: str, max_age_key: str, title: str):
    try:
        user = read_token(token, purpose, current_app.config[max_age_key])
    except TokenError as exc:
        return render_template("auth/link_error.html", message=str(exc)), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        flash("Your password is set. You can log in now.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user, title=title), 400 if form.errors else 200


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_LIMIT_CLIENT"], key_func=client_key)
def set_password(token):
    return _password_page("set-password", token, "INVITE_TOKEN_MAX_AGE", "Welcome: choose your password")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_LIMIT_CLIENT"], key_func=client_key)
def reset(token):
    return _password_page("reset", token, "RESET_TOKEN_MAX_AGE", "Choose a new password")
