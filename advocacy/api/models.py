"""API tokens: created and revoked by admins; only a SHA-256 hash of the secret is stored.

A token belongs to the user who made it and is only as good as that user: it stops working
when the account is deactivated or its role changes (revoked then, and checked on every use),
when it expires, or when revoked. Its scope limits what it may do."""
import datetime as dt
import hashlib
import secrets

from flask_babel import lazy_gettext as _l

from advocacy.auth.models import Role
from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class TokenScope(LabelledEnum):
    READ_PUBLIC = ("read_public", _l("Read public data only"))
    READ_ALL = ("read_all", _l("Read everything"))
    WRITE = ("write", _l("Read and write everything"))


#: which scopes allow which HTTP methods
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __audited__ = True
    __audit_exclude__ = {"token_hash", "last_used_at"}

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    #: the owner: the token acts as this user and dies with the account or its role
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    #: the owner's role when the token was made; any other role now makes the token invalid
    issued_role = db.Column(enum_type(Role), nullable=False)
    scope = db.Column(enum_type(TokenScope), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = db.Column(UTCDateTime, nullable=False)
    last_used_at = db.Column(UTCDateTime)
    revoked_at = db.Column(UTCDateTime)
    #: why it was revoked when not by hand (e.g. "the owner's role changed")
    revoked_reason = db.Column(db.String(200))

    created_by = db.relationship("User")

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, name: str, created_by, *, scope: "TokenScope", days: int, now: dt.datetime) -> tuple["ApiToken", str]:
        secret = "adv_" + secrets.token_urlsafe(32)
        token = cls(name=name, token_hash=cls.hash(secret), created_by=created_by, issued_role=created_by.role,
                    scope=scope, created_at=now, expires_at=now + dt.timedelta(days=days))
        return token, secret

    def refusal(self, now: dt.datetime) -> str | None:
        """Why this token may not be used now, or None if it may."""
        owner = self.created_by
        if self.revoked_at is not None:
            return "This token was revoked."
        if self.expires_at <= now:
            return "This token has expired."
        if owner is None or not owner.is_active:
            return "This token's owner no longer has an active account."
        if owner.role != self.issued_role or not owner.is_staff:
            return "This token's owner no longer has the role it was made with."
        return None

    def allows(self, method: str) -> bool:
        return method in READ_METHODS or self.scope == TokenScope.WRITE
