"""Admin: API tokens."""
from flask import Blueprint

bp = Blueprint("tokens", __name__, url_prefix="/admin/api-tokens")

from advocacy.tokens import routes  # noqa: E402,F401
