"""Views of statements."""
from advocacy.statements import bp  # noqa: F401
