"""API tokens: created and revoked by admins; only a SHA-256 hash of the secret is stored."""
import hashlib
import secrets

from advocacy.db_types import UTCDateTime, utcnow
from advocacy.extensions import db


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __audited__ = True
    __audit_exclude__ = {"token_hash", "last_used_at"}

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(UTCDateTime)
    revoked_at = db.Column(UTCDateTime)

    created_by = db.relationship("User")

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, name: str, created_by=None) -> tuple["ApiToken", str]:
        secret = "adv_" + secrets.token_urlsafe(32)
        return cls(name=name, token_hash=cls.hash(secret), created_by=created_by), secret
