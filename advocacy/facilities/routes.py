"""Views of facilities."""
from advocacy.facilities import bp  # noqa: F401
