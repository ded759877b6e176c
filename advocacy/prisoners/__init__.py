"""Staff register of prisoners and their key dates."""
from flask import Blueprint

bp = Blueprint("prisoners", __name__, url_prefix="/prisoners")

from advocacy.prisoners import routes  # noqa: E402,F401
