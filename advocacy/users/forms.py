from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from advocacy.auth.models import Role, User
from advocacy.extensions import db
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.validators import email_address


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), email_address, Length(max=254)],
                       filters=[lambda v: v.strip().lower() if v else v])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[lambda v: v.strip() if v else v])
    role = SelectField(_l("Role"), choices=Role.choices(), default=Role.STAFF.value)
    parliamentarian_id = SelectField(_l("Linked parliamentarian (for role parliamentarian)"), default=0,
                                     coerce=lambda v: int(v) if v not in (None, "", "None") else 0,
                                     validate_choice=False)
    is_active_account = BooleanField(_l("Account active"), default=True)

    def __init__(self, *args, user_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_id = user_id
        rows = db.session.execute(select(Parliamentarian.id, Parliamentarian.full_name, Parliamentarian.country)
                                  .where(Parliamentarian.is_archived.is_(False))
                                  .order_by(Parliamentarian.full_name)).all()
        self.parliamentarian_id.choices = [(0, "—")] + [(r.id, f"{r.full_name} ({r.country})") for r in rows]

    def validate_email(self, field):
        stmt = select(User.id).where(func.lower(User.email) == field.data)
        if self._user_id:
            stmt = stmt.where(User.id != self._user_id)
        if db.session.scalar(stmt) is not None:
            raise ValidationError(_("An account with this email already exists."))

    def validate_parliamentarian_id(self, field):
        field.data = field.data or 0
        if field.data and field.data not in {c[0] for c in field.choices}:
            raise ValidationError(_("Not a valid choice."))
        if self.role.data == Role.PARLIAMENTARIAN.value:
            if not field.data:
                raise ValidationError(_("Choose the parliamentarian this account belongs to."))
            stmt = select(User.id).where(User.parliamentarian_id == field.data)
            if self._user_id:
                stmt = stmt.where(User.id != self._user_id)
            if db.session.scalar(stmt) is not None:
                raise ValidationError(_("This parliamentarian already has an account (one per person)."))
        elif field.data:
            raise ValidationError(_("Only parliamentarian accounts are linked to a parliamentarian."))

    def apply(self, user: User) -> None:
        user.email = self.email.data
        user.name = self.name.data
        user.role = Role(self.role.data)
        user.parliamentarian_id = self.parliamentarian_id.data or None
        user.is_active_account = self.is_active_account.data
