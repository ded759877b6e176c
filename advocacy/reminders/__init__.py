"""Reminder rules, outbox and delivery."""
from flask import Blueprint

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

from advocacy.reminders import routes  # noqa: E402,F401
