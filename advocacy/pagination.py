"""The one pagination and sorting helper for list pages."""
import sqlalchemy as sa
from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import orm

from advocacy.security import db_int
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


def sort_clause(sortable: dict, default: str):
    """``sortable`` maps a public key to a column; ``?sort=name`` or ``?sort=-name``."""
    key = request.args.get("sort", default)
    desc = key.startswith("-")
    col = sortable.get(key.lstrip("-")) or sortable[default.lstrip("-")]
    return (col.desc() if desc else col.asc()), key
