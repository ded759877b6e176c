"""Searchable spellings of people's names: one row per folded word of every spelling derived
from the names staff typed (see advocacy.names.variants), with its phonetic key.

Rows belong to a prisoner or a parliamentarian and are rebuilt whenever the name changes, on
save and on import (advocacy.names.services.install). Never edited by hand."""
from sqlalchemy import DDL, CheckConstraint, Index, event

from advocacy.extensions import db


class NameVariant(db.Model):
    __tablename__ = "name_variants"

    id = db.Column(db.Integer, primary_key=True)
    prisoner_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"))
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"))
    #: one lower-case ASCII word ("kalesnikava")
    word = db.Column(db.String(100), nullable=False)
    #: its phonetic key ("kalasnikava"), see advocacy.names.variants.key
    key = db.Column(db.String(100), nullable=False)
    #: the word is in a spelling staff typed: a query made of such words is an exact match
    is_given = db.Column(db.Boolean, nullable=False, default=False)

    __table_args__ = (
        CheckConstraint("(prisoner_id IS NULL) <> (parliamentarian_id IS NULL)", name="ck_name_variants_one_owner"),
        Index("ix_name_variants_prisoner_id", "prisoner_id"),
        Index("ix_name_variants_parliamentarian_id", "parliamentarian_id"),
        # Trigram indexes (pg_trgm) serve similarity (%) and prefix (LIKE 'x%') look-ups on
        # PostgreSQL; other databases get plain indexes. fastupdate off: without it, rows
        # written since the last VACUUM sit in an unsorted pending list that every search
        # scans (a fresh import of 13,000 people made searches ten times slower).
        Index("ix_name_variants_word_trgm", "word", postgresql_using="gin", postgresql_ops={"word": "gin_trgm_ops"},
              postgresql_with={"fastupdate": "off"}),
        Index("ix_name_variants_key_trgm", "key", postgresql_using="gin", postgresql_ops={"key": "gin_trgm_ops"},
              postgresql_with={"fastupdate": "off"}),
    )

    def __repr__(self):
        return f"<NameVariant {self.word} ({self.key})>"


# create_all (tests, fresh databases) needs the extension before the trigram indexes; the
# migration creates it too.
event.listen(NameVariant.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))
