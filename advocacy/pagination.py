"""The one pagination and sorting helper for list pages."""
import sqlalchemy as sa
from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import orm

from advocacy.security import MAX_DB_INT, db_int
from advocacy.extensions import db

#: the count stops this many pages past the one shown ("page 3 of 13+"): an exact count of
#: 300,000 statements costs a scan on every page view and tells staff nothing they use
COUNT_PAGES_AHEAD = 10


class BoundedPagination(SelectPagination):
    """Counts at most ``COUNT_PAGES_AHEAD`` pages past the current one. ``total_is_lower_bound``
    says the list goes on; ``total`` and ``pages`` are then lower bounds, ``has_next`` true."""

    total_is_lower_bound = False

    def _query_count(self) -> int:
        cap = (self.page + COUNT_PAGES_AHEAD) * self.per_page
        select = self._query_args["select"].options(orm.lazyload("*")).order_by(None).limit(cap + 1)
        total = self._query_args["session"].execute(sa.select(sa.func.count()).select_from(select.subquery())).scalar()
        if total > cap:
            self.total_is_lower_bound = True
            return cap
        return total


def paginate(select, per_page: int | None = None):
    """Paginate a select with ``?page=``; bad page numbers fall back to page 1 instead of 500."""
    page = request.args.get("page", 1, type=db_int) or 1
    per_page = per_page or current_app.config.get("PER_PAGE", 50)
    return BoundedPagination(select=select, session=db.session(), page=max(page, 1), per_page=per_page,
                             max_per_page=200, error_out=False)


def sort_column(sortable: dict, default: str):
    """``sortable`` maps a public key to a column; ``?sort=name`` or ``?sort=-name``:
    ``(column, descending, key)``; an unknown key sorts by ``default``."""
    key = request.args.get("sort", default)
    if key.lstrip("-") not in sortable:
        key = default
    return sortable[key.lstrip("-")], key.startswith("-"), key


def sort_clause(sortable: dict, default: str):
    """``sortable`` maps a public key to a column; ``?sort=name`` or ``?sort=-name``."""
    col, desc, key = sort_column(sortable, default)
    return (col.desc() if desc else col.asc()), key


class KeysetPage:
    """One page of a list read by keyset ("seek") pagination: ``items``, and the query arguments
    of the pages around it (``next_args``, ``prev_args``; None at either end)."""

    def __init__(self, items, next_args, prev_args, per_page):
        self.items, self.next_args, self.prev_args, self.per_page = items, next_args, prev_args, per_page

    @property
    def has_next(self) -> bool:
        return self.next_args is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_args is not None


def _cursor(value, row_id) -> str:
    return f"{value.isoformat()}~{row_id}"


def _parse_cursor(raw: str | None, parse):
    """``(value, id)`` from a cursor argument, or None for a missing or malformed one."""
    if not raw or "~" not in raw:
        return None
    value, _, row_id = raw.rpartition("~")
    try:
        parsed, number = parse(value), int(row_id)
    except (ValueError, TypeError, OverflowError):
        return None
    return (parsed, number) if abs(number) <= MAX_DB_INT else None


def keyset_paginate(select, key, key_of, parse, *, desc: bool, per_page: int | None = None) -> KeysetPage:
    """Paginate ``select`` ordered by (``key``, the entity's id), both ascending or both
    descending, with ``?after=`` / ``?before=`` cursors (the sort key and id of the row a page
    starts after or ends before) instead of ``?page=``: page 2,000 costs what page 1 costs, since
    the database seeks in the (key, id) index instead of counting past 100,000 rows. No total is
    counted. ``key_of(row)`` reads the sort key from an item, ``parse(text)`` reads it from a
    cursor. Malformed cursors fall back to the first page instead of 500."""
    per_page = min(per_page or current_app.config.get("PER_PAGE", 50), 200)
    entity = select.column_descriptions[0]["entity"]
    row_id = entity.id
    after = _parse_cursor(request.args.get("after"), parse)
    before = None if after else _parse_cursor(request.args.get("before"), parse)
    pair = sa.tuple_(key, row_id)

    def bound(c):
        return sa.tuple_(sa.literal(c[0], key.type), sa.literal(c[1], row_id.type))
    forward = (key.desc(), row_id.desc()) if desc else (key.asc(), row_id.asc())
    backward = (key.asc(), row_id.asc()) if desc else (key.desc(), row_id.desc())
    if before is not None:
        rows = db.session.scalars(select.where(pair > bound(before) if desc else pair < bound(before))
                                  .order_by(*backward).limit(per_page + 1)).unique().all()
        more_before = len(rows) > per_page
        items = list(reversed(rows[:per_page]))
        more_after = True
    else:
        stmt = select
        if after is not None:
            stmt = stmt.where(pair < bound(after) if desc else pair > bound(after))
        rows = db.session.scalars(stmt.order_by(*forward).limit(per_page + 1)).unique().all()
        more_after = len(rows) > per_page
        items = rows[:per_page]
        more_before = after is not None
    next_args = {"after": _cursor(key_of(items[-1]), items[-1].id), "before": None} if more_after and items else None
    prev_args = {"before": _cursor(key_of(items[0]), items[0].id), "after": None} if more_before and items else None
    if more_before and not items:  # seeked past either end: offer the way back to the start
        prev_args = {"before": None, "after": None}
    return KeysetPage(items, next_args, prev_args, per_page)
