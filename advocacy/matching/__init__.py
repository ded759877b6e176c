"""Matching engine and adoption workflow."""
from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")

from advocacy.matching import routes  # noqa: E402,F401
