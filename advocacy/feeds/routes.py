"""Views of feeds."""
from advocacy.feeds import bp  # noqa: F401
