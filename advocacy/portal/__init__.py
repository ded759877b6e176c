"""The parliamentarian's portal."""
from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")

from advocacy.portal import routes  # noqa: E402,F401
