"""Views of matching."""
from advocacy.matching import bp  # noqa: F401
