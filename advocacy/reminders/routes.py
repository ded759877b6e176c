"""Views of reminders."""
from advocacy.reminders import bp  # noqa: F401
