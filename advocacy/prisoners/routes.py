"""Views of prisoners."""
from advocacy.prisoners import bp  # noqa: F401
