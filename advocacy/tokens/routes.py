"""Admin: API tokens. The secret is shown once; only its hash is kept."""
from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from advocacy.api.models import ApiToken, TokenScope
from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.security import admin_required
from advocacy.tokens import bp
from advocacy.views import confirm_first


class TokenForm(FlaskForm):
    name = StringField(_l("What it is for"), validators=[DataRequired(), Length(max=100)],
                       description=_l("e.g. 'Viasna list sync'"))
    scope = SelectField(_l("What it may do"), choices=TokenScope.choices(), default=TokenScope.READ_PUBLIC.value)
    days = SelectField(_l("Valid for"), choices=[("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("1 year"))],
                       default="90", coerce=int)


@bp.route("/", methods=["GET", "POST"])
@admin_required
def list():
    form = TokenForm()
    if form.validate_on_submit():
        token, secret = ApiToken.issue(form.name.data.strip(), created_by=current_user,
                                       scope=TokenScope(form.scope.data), days=form.days.data, now=utcnow())
        db.session.add(token)
        db.session.commit()
        session["new_api_token"] = secret
        return redirect(url_for("tokens.list"))
    tokens = db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())).all()
    return render_template("tokens/list.html", form=form, tokens=tokens, secret=session.pop("new_api_token", None)), \
        400 if form.errors else 200


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@admin_required
def revoke(token_id):
    token = db.get_or_404(ApiToken, token_id)
    if token.revoked_at is None:
        ask = confirm_first(_("Revoke the token “%(name)s”?", name=token.name), _("Revoke"), url_for("tokens.list"),
                            _("Anything using it stops working at once. This cannot be undone."))
        if ask is not None:
            return ask
        token.revoked_at = utcnow()
        db.session.commit()
        flash(_("The token '%(name)s' was revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for("tokens.list"))
