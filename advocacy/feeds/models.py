"""Secret calendar-feed tokens, one per device or calendar app. Only a SHA-256 hash is stored;
the URL holds the secret."""
import hashlib
import secrets

from sqlalchemy import Index

from advocacy.auth.models import Role
from advocacy.db_types import UTCDateTime, enum_type, utcnow
from advocacy.extensions import db


class FeedToken(db.Model):
    __tablename__ = "feed_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    #: what the owner calls it ("Work phone", "Outlook at the office"), so they know which to revoke
    name = db.Column(db.String(100), nullable=False)
    #: the role the address was made for: it stops working when the account's role changes
    role = db.Column(enum_type(Role), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(UTCDateTime)

    user = db.relationship("User")

    __table_args__ = (Index("ix_feed_tokens_user_id", "user_id"),)

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
