"""Staff dashboard."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/staff")

from advocacy.dashboard import routes  # noqa: E402,F401
