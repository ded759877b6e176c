"""Staff register of prisons and detention centres."""
from flask import Blueprint

bp = Blueprint("facilities", __name__, url_prefix="/facilities")

from advocacy.facilities import routes  # noqa: E402,F401
