"""Staff management of pairings (godparent adoptions)."""
from flask import Blueprint

bp = Blueprint("pairings", __name__, url_prefix="/pairings")

from advocacy.pairings import routes  # noqa: E402,F401
