"""Small SQL helpers shared by features."""
from advocacy.extensions import db


def insert_ignore(model):
    """``INSERT … ON CONFLICT DO NOTHING`` for ``model`` in the session's dialect (PostgreSQL
    or SQLite): the way to write idempotently when several processes may insert the same row."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing()


def month_key(column):
    """``'YYYY-MM'`` of a date column, in the session's dialect (to group by month in SQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.func.to_char(column, "YYYY-MM")
    return db.func.strftime("%Y-%m", column)
