"""Views of parliamentarians."""
from advocacy.parliamentarians import bp  # noqa: F401
