"""Exports of the registers (staff and public-only)."""
from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from advocacy.exports import routes  # noqa: E402,F401
