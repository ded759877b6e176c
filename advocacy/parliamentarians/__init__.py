"""Staff register of parliamentarians."""
from flask import Blueprint

bp = Blueprint("parliamentarians", __name__, url_prefix="/parliamentarians")

from advocacy.parliamentarians import routes  # noqa: E402,F401
