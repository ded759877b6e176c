"""Views of api."""
from advocacy.api import bp  # noqa: F401
