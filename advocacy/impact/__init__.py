"""Impact: who spoke, when, and which reminders moved them (staff view at /impact/)."""
from flask import Blueprint

bp = Blueprint("impact", __name__, url_prefix="/impact")

from advocacy.impact import routes  # noqa: E402,F401
