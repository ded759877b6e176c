"""Login, logout, password set-up from an invitation, password reset."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from advocacy.auth import bp
from advocacy.auth import services
from advocacy.auth import notifications
from advocacy.auth.forms import ForgotForm, LoginForm, OnboardingForm, SetPasswordForm, SignInLinkForm
from advocacy.auth.throttle import client_key, guarded_by_account, remember_device
from advocacy.auth.tokens import TokenError, read_onboarding_token, read_sign_in_token, read_token
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
            form.password.errors.append(_("Wrong email or password."))
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
    flash(_("You are logged out."), "info")
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
        flash(_("You are signed out on every device. Log in again here."), "info")
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
            db.session.commit()
        # The same answer whether or not the account exists: no way to probe for accounts.
        flash(_("If an account exists for that address, we have sent it a link to reset the password."), "info")
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
        flash(_("Your password is set. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user, title=title), 400 if form.errors else 200


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_LIMIT_CLIENT"], key_func=client_key)
def set_password(token):
    return _password_page("set-password", token, "INVITE_TOKEN_MAX_AGE", _("Welcome: choose your password"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_LIMIT_CLIENT"], key_func=client_key)
def reset(token):
    return _password_page("reset", token, "RESET_TOKEN_MAX_AGE", _("Choose a new password"))


# -- passwordless sign-in ----------------------------------------------------------------------------
@bp.route("/sign-in-link", methods=["GET", "POST"])
@guarded_by_account("MAIL_LIMIT_ACCOUNT_CLIENT", "MAIL_LIMIT_CLIENT", "MAIL_LIMIT_ACCOUNT", deduct_when=None)
def sign_in_link():
    """Ask for a sign-in link by email. The answer is the same whether or not the account
    exists, and the mail leaves after the response (no timing difference either)."""
    form = SignInLinkForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        target = form.next.data if is_safe_next(form.next.data) else ""
        if user is not None and user.is_active:
            notifications.send_sign_in_link(user, target)
            db.session.commit()
        return render_template("auth/check_inbox.html", email=form.email.data)
    return render_template("auth/sign_in_link.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_LIMIT_CLIENT"], key_func=client_key)
def sign_in(token):
    """GET only shows a button (mail scanners that open links use nothing up); the POST signs
    in and uses the link up."""
    try:
        user, target = read_sign_in_token(token, current_app.config["SIGN_IN_LINK_MAX_AGE"])
    except TokenError as exc:
        return render_template("auth/link_error.html", message=str(exc), ask_sign_in_link=True), 400
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        services.sign_in(user, now=utcnow())
        login_user(user)
        db.session.commit()
        return redirect(target if is_safe_next(target) else url_for(services.home_endpoint(user)))
    return render_template("auth/sign_in.html", form=form, user=user)


@bp.route("/welcome-godparent/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_LIMIT_CLIENT"], key_func=client_key)
def onboard(token):
    """After accepting an invitation without an account: choose a password, or sign in by
    emailed links. Creates the account, linked to the parliamentarian's record."""
    from advocacy.parliamentarians.models import Parliamentarian

    try:
        parl = db.session.get(Parliamentarian, read_onboarding_token(token, current_app.config["ONBOARDING_LINK_MAX_AGE"]))
    except TokenError as exc:
        return render_template("auth/link_error.html", message=str(exc)), 400
    if parl is None:
        return render_template("auth/link_error.html", message=_("This link is not valid.")), 400
    if parl.user is not None:
        return render_template("auth/link_error.html", ask_sign_in_link=True,
                               message=_("Your account exists already: sign in with your password or ask for a sign-in link.")), 400
    form = OnboardingForm()
    if request.method == "POST" and form.validate_on_submit():
        use_links = request.form.get("choice") == "links"
        if not use_links and len(form.password.data or "") < 12:
            form.password.errors.append(_("Use at least 12 characters, or choose sign-in links instead."))
        else:
            try:
                user = services.create_godparent_account(parl, password=None if use_links else form.password.data)
            except services.AccountError as exc:
                form.form_errors.append(str(exc))
            else:
                if use_links:
                    notifications.send_sign_in_link(user, url_for("portal.index"))
                    db.session.commit()
                    return render_template("auth/check_inbox.html", email=user.email, new_account=True)
                services.sign_in(user, now=utcnow())
                login_user(user)
                db.session.commit()
                flash(_("Welcome. Your account is ready; this is your portal."), "success")
                return redirect(url_for("portal.index"))
    return render_template("auth/onboard.html", form=form, parl=parl), 400 if (form.errors or form.form_errors) else 200
