"""Views of pairings."""
from advocacy.pairings import bp  # noqa: F401
