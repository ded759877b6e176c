"""Views of exports."""
from advocacy.exports import bp  # noqa: F401
