"""Login, logout, invitations, password reset."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from advocacy.auth import routes  # noqa: E402,F401
