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


def allocate_ids(table, n: int) -> list[int]:
    """``n`` new primary keys for ``table``, reserved in the current transaction: from its
    sequence on PostgreSQL; on SQLite (one writer at a time) the next numbers after the largest."""
    from sqlalchemy import func, select, text

    if n <= 0:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return list(db.session.execute(text(
            f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"), {"n": n}).scalars())
    start = db.session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(start + 1, start + 1 + n))


def bulk_insert(table, rows: list[dict]) -> None:
    """Insert many rows in the session's transaction, fast: ``COPY`` on PostgreSQL, one
    executemany elsewhere. Every row names the same columns (others get their server default).
    This bypasses ORM events: callers apply the model's rules and write the audit entries
    (``advocacy.audit.services.record_bulk_creation``) themselves."""
    import enum

    from sqlalchemy import JSON, insert

    if not rows:
        return
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    from psycopg import sql
    from psycopg.types.json import Json

    keys = list(rows[0])
    json_keys = {k for k in keys if isinstance(table.c[k].type, JSON)}
    raw = conn.connection.driver_connection
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name),
                                                    sql.SQL(", ").join(sql.Identifier(k) for k in keys))
    with raw.cursor() as cur, cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row([Json(row[k]) if k in json_keys else (row[k].value if isinstance(row[k], enum.Enum) else row[k])
                            for k in keys])
