"""The one pagination and sorting helper for list pages."""
from flask import current_app, request

from advocacy.security import db_int
from advocacy.extensions import db


def paginate(select, per_page: int | None = None):
    """Paginate a select with ``?page=``; bad page numbers fall back to page 1 instead of 500."""
    page = request.args.get("page", 1, type=db_int) or 1
    per_page = per_page or current_app.config.get("PER_PAGE", 50)
    return db.paginate(select, page=max(page, 1), per_page=per_page, max_per_page=200, error_out=False)


def sort_clause(sortable: dict, default: str):
    """``sortable`` maps a public key to a column; ``?sort=name`` or ``?sort=-name``."""
    key = request.args.get("sort", default)
    desc = key.startswith("-")
    col = sortable.get(key.lstrip("-")) or sortable[default.lstrip("-")]
    return (col.desc() if desc else col.asc()), key
