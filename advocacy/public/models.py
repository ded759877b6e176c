"""The public-data version: one row whose counter changes with public data, and only then."""
from advocacy.db_types import UTCDateTime

__all__ = ["PublicDataVersion"]
from advocacy.extensions import db


class PublicDataVersion(db.Model):
    """A single row (id 1). See ``advocacy.public.services.public_data_version``."""
    __tablename__ = "public_data_version"

    id = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.BigInteger, nullable=False, default=1)
    changed_at = db.Column(UTCDateTime)
