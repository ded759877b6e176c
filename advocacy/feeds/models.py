"""Secret calendar-feed tokens. Only a SHA-256 hash is stored; the URL holds the secret."""
import hashlib
import secrets

from advocacy.db_types import UTCDateTime, utcnow
from advocacy.extensions import db


class FeedToken(db.Model):
    __tablename__ = "feed_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(UTCDateTime)

    user = db.relationship("User")

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
