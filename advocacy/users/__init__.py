"""Admin: user accounts and invitations."""
from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/admin/users")

from advocacy.users import routes  # noqa: E402,F401
