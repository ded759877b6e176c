"""User accounts and roles."""
from flask_login import UserMixin
from sqlalchemy import Index
from werkzeug.security import check_password_hash, generate_password_hash

from flask_babel import lazy_gettext as _l

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class Role(LabelledEnum):
    ADMIN = ("admin", _l("Administrator"))
    STAFF = ("staff", _l("Campaign staff"))
    PARLIAMENTARIAN = ("parliamentarian", _l("Parliamentarian"))


STAFF_ROLES = (Role.ADMIN, Role.STAFF)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = {"password_hash", "last_login_at"}

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    role = db.Column(enum_type(Role), nullable=False)
    password_hash = db.Column(db.String(256))
    #: bumped when the password changes, so one-time links (invite, reset) stop working
    password_version = db.Column(db.Integer, nullable=False, default=0)
    #: part of the session and remember cookies and of every emailed link; bumped on a password
    #: change, a role change, deactivation and "sign out everywhere", which refuses older cookies
    session_version = db.Column(db.Integer, nullable=False, default=0)
    is_active_account = db.Column(db.Boolean, nullable=False, default=True)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="SET NULL"), unique=True)
    #: the language of the site and of this user's mail, chosen in the profile; null means "no
    #: choice yet" (then the browser's language, or the parliamentarian's, decides: advocacy.i18n)
    locale = db.Column(db.String(8), nullable=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(UTCDateTime)

    parliamentarian = db.relationship("Parliamentarian", backref=db.backref("user", uselist=False))

    __table_args__ = (Index("ix_users_role", "role"),)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.password_version = (self.password_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login stores this in the session and the remember cookie: id and session version."""
        return f"{self.id}.{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Refuse every session, remember cookie and sign-in link issued so far."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return bool(self.is_active_account)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __str__(self):
        return self.name or self.email
