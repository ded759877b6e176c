"""JSON API for staff integrations."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from advocacy.api import routes  # noqa: E402,F401
