"""Public campaign pages (no login)."""
from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix=None)

from advocacy.public import routes  # noqa: E402,F401
