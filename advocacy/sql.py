"""Small SQL helpers shared by features."""
import datetime as dt

import sqlalchemy as sa

from advocacy.extensions import db


def insert_ignore(model):
    """``INSERT … ON CONFLICT DO NOTHING`` for ``model`` in the session's dialect (PostgreSQL
    or SQLite): the way to write idempotently when several processes may insert the same row."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing()


def counter_value(model, session=None) -> int:
    """The ``version`` of a one-row counter table (row id 1: the public- and staff-data
    versions), as this transaction sees it; 0 before the first bump. One primary-key read."""
    return (session or db.session).scalar(sa.select(model.version).where(model.id == 1)) or 0


def bump_counter(model, session=None, *, now=None) -> None:
    """Count one change in a one-row counter table, in the caller's transaction (the row stays
    locked until it commits, so two writers cannot both read the same value)."""
    session = session or db.session
    now = now or dt.datetime.now(dt.timezone.utc)
    res = session.execute(sa.update(model).where(model.id == 1).values(version=model.version + 1, changed_at=now)
                          .execution_options(synchronize_session=False))
    if res.rowcount == 0:
        session.execute(sa.insert(model).values(id=1, version=1, changed_at=now))


def month_key(column):
    """``'YYYY-MM'`` of a date column, in the session's dialect (to group by month in SQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.func.to_char(column, "YYYY-MM")
    return db.func.strftime("%Y-%m", column)


def insert_ignore_rows(model, rows: list[dict], order_by: str | None = None) -> None:
    """``insert_ignore(model)`` for many rows (all with the same keys), fast.

    On PostgreSQL an executemany sends one statement per row; here the rows go through ``COPY``
    into a temporary table and one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (optionally in
    ``order_by`` order, so concurrent writers take row locks in the same order). Values pass
    through each column's type first (enums, UTC datetimes), exactly as an ORM insert would."""
    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(insert_ignore(model), rows)
        return
    table = model.__table__
    conn = db.session.connection()
    dialect = conn.dialect
    given = set(rows[0])
    # Python-side column defaults an ORM insert would apply (``is_late=False``, ``created_at=utcnow``…).
    defaults = {c.name: c.default for c in table.columns
                if c.name not in given and c.default is not None and (c.default.is_scalar or c.default.is_callable)}
    if defaults:
        filled = {name: (d.arg if d.is_scalar else d.arg(None)) for name, d in defaults.items()}
        rows = [{**filled, **row} for row in rows]
    cols = [c for c in table.columns if c.name in given or c.name in defaults]
    procs = [(c.name, c.type.bind_processor(dialect)) for c in cols]
    names = ", ".join(f'"{c.name}"' for c in cols)
    tmp = f"_load_{table.name}"
    conn.exec_driver_sql(f'CREATE TEMP TABLE "{tmp}" ON COMMIT DROP AS SELECT {names} FROM "{table.name}" WITH NO DATA')
    with conn.connection.driver_connection.cursor() as cur:
        with cur.copy(f'COPY "{tmp}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([proc(row[name]) if proc else row[name] for name, proc in procs])
    order = f' ORDER BY "{order_by}"' if order_by else ""
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{tmp}"{order} ON CONFLICT DO NOTHING')
    conn.exec_driver_sql(f'DROP TABLE "{tmp}"')


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
